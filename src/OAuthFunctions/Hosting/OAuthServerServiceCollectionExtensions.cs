using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Core.Endpoints.OpenIdConnect;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Http;
using OAuthFunctions.Storage;

namespace OAuthFunctions.Hosting;

/// <summary>The composition root shared by the Functions host and the local host.</summary>
public static class OAuthServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the whole server. Settings are read and validated here, so a missing or malformed setting fails
    /// start-up with a message that names it; nothing here touches storage.
    /// </summary>
    public static IServiceCollection AddOAuthServer(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<TableClientOptions>? configureStorageClient = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = OAuthOptionsLoader.Load(configuration);
        StartupTrace.Mark("settings-validated");
        services.AddSingleton(options);
        services.AddSingleton(new ScopeRegistry(options.Scopes));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOAuthTableStorage(configuration, options, configureStorageClient);
        StartupTrace.Mark("storage-client");

        // Login and flow cookies: any instance can read what another wrote (key ring in the Keys table).
        services.AddDataProtection().SetApplicationName("OAuthFunctions");
        WithoutKeyRingAtStartUp(services);

        services.AddSingleton<IPasswordHasher<User>, MigratingPasswordHasher>();
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<ResourceOwnerAuthenticator>();
        services.AddSingleton<ActiveUsers>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<ClientAuthenticationStep>();
        services.AddSingleton<CorsPolicy>();
        services.AddSingleton(new PageRenderer(options));
        StartupTrace.Mark("pages");

        // Signing keys (encrypted with the same Data Protection key ring), ID tokens and JWT access tokens.
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<SignedTokens>();
        services.AddSingleton<PresentedAccessTokens>();
        services.AddSingleton<JwksEndpoint>();
        services.AddSingleton<UserInfoEndpoint>();
        services.AddSingleton<EndSessionEndpoint>();

        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenRevocation>();
        services.AddSingleton<IGrantHandler, AuthorizationCodeGrant>();
        services.AddSingleton<IGrantHandler, RefreshTokenGrant>();
        services.AddSingleton<IGrantHandler, PasswordGrant>();
        services.AddSingleton<IGrantHandler, ClientCredentialsGrant>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<RevocationEndpoint>();
        services.AddSingleton<IntrospectionEndpoint>();
        services.AddSingleton<MetadataEndpoint>();

        services.AddSingleton<FlowCookies>();
        services.AddSingleton<SignIns>();
        services.AddSingleton<AuthorizationRequestValidator>();
        services.AddSingleton<AuthorizationGranter>();
        services.AddSingleton<CaptureEndpoint>();
        services.AddSingleton<AuthorizeEndpoint>();
        services.AddSingleton<RedirectEndpoint>();
        services.AddSingleton<LoginEndpoint>();
        services.AddSingleton<LogoutEndpoint>();

        services.AddSingleton<EndpointRunner>();
        return services;
    }

    /// <summary>
    /// Data Protection registers a hosted service that loads the key ring (and creates the first key) when the host starts:
    /// a query of the Keys table on every cold start, before the first request, although only the pages' cookies need
    /// the ring. Without it the ring is read when a page first protects or reads a cookie (docs/PERFORMANCE.md, "Cold
    /// start"); the token, revocation and introspection endpoints never need it.
    /// </summary>
    private static void WithoutKeyRingAtStartUp(IServiceCollection services)
    {
        var dataProtection = typeof(KeyManagementOptions).Assembly;
        foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly == dataProtection).ToList())
        {
            services.Remove(hosted);
        }
    }
}
