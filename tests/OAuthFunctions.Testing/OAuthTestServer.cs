using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Storage;

namespace OAuthFunctions.Testing;

/// <summary>
/// The local host running in the test process on a free port over real HTTP, against the shared Azurite, with its
/// own tables (a unique prefix) so test classes run in parallel. Exposes the storage request counter, the fault
/// injector, the clock and the stores.
/// </summary>
public sealed class OAuthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OAuthTestServer(WebApplication app, Uri baseAddress, StorageRequestCounter counter, StorageDepthMeter depth, StorageFaultInjector faults, FakeTimeProvider? time, string prefix)
    {
        _app = app;
        BaseAddress = baseAddress;
        Counter = counter;
        Depth = depth;
        Faults = faults;
        FakeTime = time;
        TablePrefix = prefix;
    }

    public Uri BaseAddress { get; }

    public StorageRequestCounter Counter { get; }

    /// <summary>Storage round trips one after another (with <see cref="TestServerOptions.StorageDelay"/> on every request).</summary>
    public StorageDepthMeter Depth { get; }

    public StorageFaultInjector Faults { get; }

    /// <summary>The fake clock, when the test asked for one.</summary>
    public FakeTimeProvider? FakeTime { get; }

    public string TablePrefix { get; }

    public IServiceProvider Services => _app.Services;

    public OAuthTables Tables => Services.GetRequiredService<OAuthTables>();

    public ITokenStore Tokens => Services.GetRequiredService<ITokenStore>();

    public ScopeRegistry Scopes => Services.GetRequiredService<ScopeRegistry>();

    public static async Task<OAuthTestServer> StartAsync(Action<TestServerOptions>? configure = null)
    {
        var options = new TestServerOptions();
        configure?.Invoke(options);
        var prefix = options.TablePrefix ?? "T" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>(options.Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
            ["OAuth:TablePrefix"] = prefix,
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var counter = new StorageRequestCounter();
        var depth = new StorageDepthMeter { Delay = options.StorageDelay };
        var faults = new StorageFaultInjector();
        var time = options.FakeTime ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        var app = LocalHostApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            new LocalHostOptions
            {
                LoadLocalSettings = false,
                RunTimers = false,
                Settings = settings,
                TimeProvider = time,
                ConfigureServices = options.ConfigureServices,
                ConfigureStorageClient = client =>
                {
                    client.Retry.MaxRetries = options.StorageRetries;
                    client.Retry.Delay = TimeSpan.FromMilliseconds(10);
                    client.AddPolicy(faults, Azure.Core.HttpPipelinePosition.PerRetry);
                    client.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerRetry);
                    client.AddPolicy(depth, Azure.Core.HttpPipelinePosition.PerRetry);
                },
            });
        await LocalHostApp.EnsureTablesAsync(app.Services, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OAuthTestServer(app, new Uri(address), counter, depth, faults, time, prefix);
    }

    /// <summary>An HTTP client for this server: no automatic redirects; cookies kept, as a browser would.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() }, disposeHandler: true)
        {
            BaseAddress = BaseAddress,
        };

    /// <summary>
    /// Registers a client directly in storage (through the client store, so allowed origins are indexed as the CLI
    /// indexes them); returns its id and secret (null for public clients).
    /// </summary>
    public async Task<TestClient> AddClientAsync(
        ClientType type = ClientType.Confidential,
        IReadOnlyList<string>? redirectUris = null,
        IReadOnlyList<string>? grantTypes = null,
        string? scopes = null,
        bool trusted = false,
        string name = "Test Client",
        IReadOnlyList<string>? postLogoutRedirectUris = null,
        AccessTokenFormat accessTokenFormat = AccessTokenFormat.Opaque,
        string? accessTokenAudience = null,
        IReadOnlyList<string>? allowedOrigins = null)
    {
        var secret = type == ClientType.Confidential ? SecretHasher.NewSecret() : null;
        var client = new Client
        {
            ClientId = SecretHasher.NewClientId(),
            SecretHash = secret is null ? null : SecretHasher.Hash(secret),
            Name = name,
            Url = "https://client.example",
            RedirectUris = redirectUris ?? ["https://client.example/callback"],
            Type = type,
            GrantTypes = grantTypes ?? GrantTypes.AllowedFor(type),
            Scope = scopes is null ? Scopes.All : Scopes.ToInt(scopes.Split(' ')),
            Trusted = trusted,
            AllowedOrigins = allowedOrigins ?? [],
            CreatedAt = DateTimeOffset.UtcNow,
            PostLogoutRedirectUris = postLogoutRedirectUris ?? [],
            AccessTokenFormat = accessTokenFormat,
            AccessTokenAudience = accessTokenAudience,
        };
        if (!await Services.GetRequiredService<IClientStore>().AddAsync(client, CancellationToken.None))
        {
            throw new InvalidOperationException("Client id collision.");
        }

        return new TestClient(client.ClientId, secret, client.RedirectUris[0]);
    }

    /// <summary>Adds a user directly in storage.</summary>
    public async Task<User> AddUserAsync(string username, string password, bool disabled = false, string? name = null, string? email = null, bool emailVerified = false)
    {
        var user = new User
        {
            UserId = Guid.NewGuid().ToString("N"),
            Username = username,
            PasswordHash = string.Empty,
            Disabled = disabled,
            CreatedAt = DateTimeOffset.UtcNow,
            Name = name,
            Email = email,
            EmailVerified = emailVerified,
        };
        user = user with { PasswordHash = Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password) };
        await Services.GetRequiredService<IUserStore>().AddAsync(user, CancellationToken.None);
        return user;
    }

    /// <summary>
    /// Issues an authorization code through the store, as approval on the consent page would (the token tests do not
    /// go through the pages).
    /// </summary>
    public async Task<string> IssueCodeAsync(TestClient client, User user, string scope = "read", string? redirectUri = null, bool redirectUriGiven = true, string? codeChallenge = null, DateTimeOffset? authTime = null, string? nonce = null)
    {
        var time = Services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var expires = now + TimeSpan.FromMinutes(10);
        var code = new NewCode(
            TokenHandle.Issue(TokenKind.AuthorizationCode, expires),
            new TokenGrant(client.ClientId, user.UserId, user.Username, Scopes.ToInt(scope.Split(' ')), now, expires, AuthTime: authTime),
            redirectUri ?? client.RedirectUri,
            redirectUriGiven,
            codeChallenge,
            nonce);
        await Tokens.SaveCodeAsync(code, CancellationToken.None);
        return code.Handle.Value;
    }

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret))));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
