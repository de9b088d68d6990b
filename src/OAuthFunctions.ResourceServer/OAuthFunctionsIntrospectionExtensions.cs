using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OAuthFunctions.ResourceServer;

/// <summary>Registration, for ASP.NET Core and for any other host.</summary>
public static class OAuthFunctionsIntrospectionExtensions
{
    /// <summary>
    /// Adds the bearer-token scheme <see cref="OAuthFunctionsIntrospectionDefaults.AuthenticationScheme"/>:
    /// <c>services.AddAuthentication().AddOAuthFunctionsIntrospection(options => …)</c>. A missing or malformed
    /// setting fails start-up with a message naming it.
    /// </summary>
    public static AuthenticationBuilder AddOAuthFunctionsIntrospection(this AuthenticationBuilder builder, Action<OAuthFunctionsIntrospectionOptions> configure) =>
        builder.AddOAuthFunctionsIntrospection(OAuthFunctionsIntrospectionDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the bearer-token scheme under another name (several servers, or another scheme beside it).</summary>
    public static AuthenticationBuilder AddOAuthFunctionsIntrospection(this AuthenticationBuilder builder, string authenticationScheme, Action<OAuthFunctionsIntrospectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddShared(builder.Services, authenticationScheme);
        return builder.AddScheme<OAuthFunctionsIntrospectionOptions, OAuthFunctionsIntrospectionHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// Adds a <see cref="BearerTokenValidator"/> singleton for hosts without ASP.NET Core authentication (an Azure
    /// Functions app calls it with the request's <c>Authorization</c> header). A missing or malformed setting fails
    /// start-up with a message naming it.
    /// </summary>
    public static IServiceCollection AddOAuthFunctionsTokenValidator(this IServiceCollection services, Action<OAuthFunctionsIntrospectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure(Options.DefaultName, configure);
        AddShared(services, Options.DefaultName);
        services.TryAddSingleton(provider => provider.GetRequiredService<BearerTokenValidators>().Get(Options.DefaultName));
        return services;
    }

    private static void AddShared(IServiceCollection services, string name)
    {
        services.TryAddSingleton<BearerTokenValidators>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OAuthFunctionsIntrospectionOptions>, OptionsValidator>());
        services.AddOptions<OAuthFunctionsIntrospectionOptions>(name).ValidateOnStart();
    }

    private sealed class OptionsValidator : IValidateOptions<OAuthFunctionsIntrospectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, OAuthFunctionsIntrospectionOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
