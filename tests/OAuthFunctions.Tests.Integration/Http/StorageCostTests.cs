using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// Storage requests per operation, counted by a pipeline policy on the table clients (docs/ARCHITECTURE.md, "Cost").
/// Budgets: client_credentials ≤ 2 (≤ 1 cached), authorization_code ≤ 5, refresh_token ≤ 6, introspect ≤ 2,
/// revoke ≤ 4. And no table creation, listing or scan on any request path.
/// </summary>
public sealed class StorageCostTests : IAsyncLifetime
{
    private OAuthTestServer _uncached = null!;

    public async Task InitializeAsync() => _uncached = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _uncached.DisposeAsync();

    [Fact]
    public async Task Client_credentials_costs_two_requests_uncached()
    {
        var client = await _uncached.AddClientAsync();
        using var http = _uncached.CreateClient();
        var cost = await CostAsync(_uncached, () => http.TokenAsync(client, ("grant_type", "client_credentials")));
        Assert.Equal(2, cost);
    }

    [Fact]
    public async Task Client_credentials_costs_one_request_with_the_client_cached()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var client = await server.AddClientAsync();
        using var http = server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        var cost = await CostAsync(server, () => http.TokenAsync(client, ("grant_type", "client_credentials")));
        Assert.Equal(1, cost);
    }

    [Fact]
    public async Task Authorization_code_exchange_costs_five_requests()
    {
        var client = await _uncached.AddClientAsync();
        var user = await _uncached.AddUserAsync("cost-code-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _uncached.IssueCodeAsync(client, user);
        using var http = _uncached.CreateClient();
        var cost = await CostAsync(_uncached, () => http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        Assert.Equal(5, cost);
    }

    [Fact]
    public async Task Authorization_code_exchange_with_openid_costs_five_requests_signing_adds_none()
    {
        var client = await _uncached.AddClientAsync();
        var user = await _uncached.AddUserAsync("cost-oidc-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _uncached.IssueCodeAsync(client, user, scope: "openid read", authTime: DateTimeOffset.UtcNow, nonce: "n");
        using var http = _uncached.CreateClient();

        // An instance reads its signing keys once (here through the JWKS); after that signing is from memory.
        await OAuthAssert.SuccessAsync(await http.GetAsync("/.well-known/jwks.json"));
        _uncached.Counter.Reset();
        var response = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        var tokens = await OAuthAssert.SuccessAsync(response);
        Assert.False(string.IsNullOrEmpty(tokens.Str("id_token")));
        Assert.True(_uncached.Counter.Count == 5, string.Join(Environment.NewLine, _uncached.Counter.Requests));
    }

    [Fact]
    public async Task Refresh_of_a_never_expiring_token_costs_six_requests()
    {
        var (client, tokens) = await _uncached.PasswordTokensAsync();
        var refreshToken = tokens.Str("refresh_token");
        using var http = _uncached.CreateClient();
        var cost = await CostAsync(_uncached, () => http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        Assert.Equal(6, cost);
    }

    [Fact]
    public async Task Refresh_of_an_expiring_token_costs_at_most_six_requests()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00").With("OAuth:RefreshTokenLifetime", "30.00:00:00"));
        var (client, tokens) = await server.PasswordTokensAsync();
        var refreshToken = tokens.Str("refresh_token");
        using var http = server.CreateClient();
        var cost = await CostAsync(server, () => http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        Assert.InRange(cost, 5, 6);
    }

    [Fact]
    public async Task Introspection_costs_two_requests()
    {
        var client = await _uncached.AddClientAsync();
        using var http = _uncached.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        var cost = await CostAsync(_uncached, () => http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token.Str("access_token"))));
        Assert.Equal(2, cost);
    }

    [Fact]
    public async Task Revoking_a_refresh_token_costs_four_requests()
    {
        var (client, tokens) = await _uncached.PasswordTokensAsync();
        var refreshToken = tokens.Str("refresh_token");
        using var http = _uncached.CreateClient();
        var cost = await CostAsync(_uncached, () => http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", refreshToken)));
        Assert.Equal(4, cost);
    }

    [Fact]
    public async Task Revoking_an_access_token_costs_three_requests()
    {
        var client = await _uncached.AddClientAsync();
        using var http = _uncached.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        var cost = await CostAsync(_uncached, () => http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", token.Str("access_token"))));
        Assert.Equal(3, cost);
    }

    [Fact]
    public async Task Expired_or_malformed_tokens_cost_no_token_read()
    {
        var client = await _uncached.AddClientAsync();
        using var http = _uncached.CreateClient();
        var cost = await CostAsync(_uncached, () => http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", "a00000000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
        Assert.Equal(1, cost);
    }

    /// <summary>
    /// The code or token read starts alongside the client read (docs/PERFORMANCE.md, "Sequential depth"), so a client
    /// that fails authentication may cost that read too; it never causes a write.
    /// </summary>
    [Theory]
    [InlineData("/oauth2/access_token")]
    [InlineData("/oauth2/revoke")]
    [InlineData("/oauth2/introspect")]
    public async Task A_client_that_fails_authentication_causes_at_most_two_reads_and_no_write(string path)
    {
        var client = await _uncached.AddClientAsync();
        var user = await _uncached.AddUserAsync("cost-refused-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _uncached.IssueCodeAsync(client, user);
        using var http = _uncached.CreateClient();
        _uncached.Counter.Reset();

        var response = await http.PostFormAsync(
            path,
            ("grant_type", "authorization_code"), ("code", code), ("token", code), ("client_id", client.ClientId), ("client_secret", "not the secret"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.InRange(_uncached.Counter.Count, 1, 2);
        Assert.All(_uncached.Counter.Requests, request => Assert.StartsWith("GET ", request, StringComparison.Ordinal));
        Assert.True(TokenHandle.TryParse(code, out var handle));
        Assert.False((await _uncached.Tokens.FindCodeAsync(handle!, CancellationToken.None))!.Used);
    }

    [Fact]
    public async Task Request_paths_only_read_write_and_batch_single_rows()
    {
        var (client, tokens) = await _uncached.PasswordTokensAsync();
        var refreshToken = tokens.Str("refresh_token");
        using var http = _uncached.CreateClient();
        _uncached.Counter.Reset();
        var refreshed = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", refreshed.Str("access_token")));
        await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", refreshed.Str("refresh_token")));
        await http.TokenAsync(client, ("grant_type", "client_credentials"));

        foreach (var request in _uncached.Counter.Requests)
        {
            // Point operations name the row; inserts post to the table; batches go to $batch. A query ("()"), a
            // table listing or a table creation ("/Tables") would be a scan or schema work on a request path.
            Assert.DoesNotContain("/Tables", request, StringComparison.Ordinal);
            Assert.False(request.EndsWith("()", StringComparison.Ordinal), request);
            Assert.True(request.Contains("(PartitionKey=", StringComparison.Ordinal) || request.StartsWith("POST ", StringComparison.Ordinal), request);
        }
    }

    private static async Task<int> CostAsync(OAuthTestServer server, Func<Task<HttpResponseMessage>> operation)
    {
        server.Counter.Reset();
        var response = await operation();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return server.Counter.Count;
    }
}
