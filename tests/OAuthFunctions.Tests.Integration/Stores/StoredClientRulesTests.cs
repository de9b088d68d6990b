using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Storage.Stores;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Stores;

/// <summary>
/// A stored client that breaks a never-acceptable registration rule (written before the rules existed, or straight
/// into the table) authenticates nobody and is logged once with its id. A plain-http redirect URI, which an operator
/// may have allowed when registering, keeps working.
/// </summary>
public sealed class StoredClientRulesTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _logs = new();
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await OAuthTestServer.StartAsync(o => o.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(_ => new RecordingLoggerProvider(_logs)));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stored_public_trusted_client_gets_no_token_and_no_consent_skipping()
    {
        var client = await _server.AddClientAsync(ClientType.Public, redirectUris: ["com.example.app:/cb"], trusted: true);
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(client, ("grant_type", "password"), ("username", "nobody"), ("password", "x")),
            HttpStatusCode.Unauthorized,
            "invalid_client");

        var user = await _server.AddUserAsync("stored-" + Guid.NewGuid().ToString("N")[..8], "correct horse battery staple");
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, "correct horse battery staple");
        var page = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("code_challenge", new string('a', 43)), ("code_challenge_method", "S256"));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(AuthorizationRequestValidator.UnauthorizedClientMessage, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("https://client.example/cb#x")]
    public async Task Stored_client_with_a_never_acceptable_redirect_uri_authenticates_nobody(string redirectUri)
    {
        var client = await _server.AddClientAsync(redirectUris: [redirectUri]);
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Stored_plain_http_redirect_uri_keeps_working()
    {
        var client = await _server.AddClientAsync(redirectUris: ["http://legacy.example/cb"]);
        using var http = _server.CreateClient();

        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
    }

    [Fact]
    public async Task A_refused_row_is_logged_once_with_its_client_id()
    {
        var client = await _server.AddClientAsync(ClientType.Public, redirectUris: ["com.example.app:/cb"], trusted: true);
        var store = _server.Services.GetRequiredService<TableClientStore>();

        Assert.Null(await store.FindAsync(client.ClientId, CancellationToken.None));
        Assert.Null(await store.FindAsync(client.ClientId, CancellationToken.None));

        var entry = Assert.Single(_logs, m => m.Contains(client.ClientId, StringComparison.Ordinal));
        Assert.Contains(nameof(RegistrationRule.TrustedPublicClient), entry, StringComparison.Ordinal);
    }

    /// <summary>Keeps every formatted log message.</summary>
    private sealed class RecordingLoggerProvider(ConcurrentQueue<string> messages) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(messages);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
