using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// Storage faults Azurite cannot produce, injected into the table clients' pipeline: the answer is 503
/// temporarily_unavailable with nothing leaked, and nothing is left half-done: no code spent without its tokens,
/// no token that outlives a failed exchange.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.StorageRetries = 0);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Storage_503_answers_503_temporarily_unavailable_without_detail()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        _server.Faults.FailWith503(_ => true);
        try
        {
            var response = await http.TokenAsync(client, ("grant_type", "client_credentials"));
            await OAuthAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            _server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Unreachable_storage_answers_503()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        _server.Faults.FailAsUnreachable(_ => true);
        try
        {
            await OAuthAssert.ErrorAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", "x")), HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        }
        finally
        {
            _server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Storage_timeout_answers_503()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        _server.Faults.FailAsTimeout(_ => true);
        try
        {
            await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")), HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        }
        finally
        {
            _server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Failed_code_commit_leaves_the_code_redeemable_and_no_token_behind()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("fault-code-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _server.IssueCodeAsync(client, user);
        using var http = _server.CreateClient();

        // The conditional update that spends the code fails; the tokens written before it must go again.
        _server.Faults.FailWith503(request => request.Method != Azure.Core.RequestMethod.Get && request.Uri.ToString().Contains("RowKey='c", StringComparison.Ordinal));
        var failed = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        _server.Faults.Clear();
        await OAuthAssert.ErrorAsync(failed, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        Assert.Empty(await TokenRowsAsync(client.ClientId, TokenKind.AccessToken));
        Assert.Empty(await FamilyRowsAsync(client.ClientId));

        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        Assert.Single(await TokenRowsAsync(client.ClientId, TokenKind.AccessToken));
        Assert.Single(await FamilyRowsAsync(client.ClientId));
    }

    [Fact]
    public async Task Failed_token_write_leaves_the_code_unspent()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("fault-write-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _server.IssueCodeAsync(client, user);
        using var http = _server.CreateClient();

        // One of the two inserts (the access token and the family, written in parallel) fails.
        var inserts = 0;
        _server.Faults.FailWith503(request => request.Method == Azure.Core.RequestMethod.Post && ++inserts == 2);
        var failed = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        _server.Faults.Clear();
        await OAuthAssert.ErrorAsync(failed, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        Assert.Empty(await TokenRowsAsync(client.ClientId, TokenKind.AccessToken));
        Assert.Empty(await FamilyRowsAsync(client.ClientId));

        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
    }

    [Fact]
    public async Task Failed_refresh_commit_keeps_the_refresh_token_usable_and_leaves_one_live_pair()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("fault-refresh-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        using var http = _server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "correct horse")));

        // The commit, a conditional update of the family row, fails.
        _server.Faults.FailWith503(request => request.Method == Azure.Core.RequestMethod.Patch && request.Uri.ToString().Contains("PartitionKey='f", StringComparison.Ordinal));
        var failed = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        _server.Faults.Clear();
        await OAuthAssert.ErrorAsync(failed, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");

        var retried = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        Assert.Single(await TokenRowsAsync(client.ClientId, TokenKind.AccessToken));
        var family = Assert.Single(await FamilyRowsAsync(client.ClientId));
        Assert.Equal(TokenHandle.HashOf(retried.Str("refresh_token")), family.Current);
    }

    [Fact]
    public async Task Code_exchange_whose_commit_answer_was_lost_still_succeeds()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("fault-lost-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _server.IssueCodeAsync(client, user);
        using var http = _server.CreateClient();

        // The code is spent in storage but the answer is lost: the tokens must be delivered, not deleted.
        _server.Faults.LoseAnswer(request => request.Method == Azure.Core.RequestMethod.Patch && request.Uri.ToString().Contains("RowKey='c", StringComparison.Ordinal));
        var response = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        _server.Faults.Clear();

        var token = await OAuthAssert.SuccessAsync(response);
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token.Str("access_token"))));
        Assert.True(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Unexpected_exception_answers_500_server_error_without_detail()
    {
        var store = new Mock<ITokenStore>();
        store.Setup(s => s.IssueAsync(It.IsAny<NewTokenPair>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("secret detail: connection string AccountKey=abc"));
        await using var server = await OAuthTestServer.StartAsync(o => o.ConfigureServices = services => services.AddSingleton(store.Object));
        var client = await server.AddClientAsync();
        using var http = server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "client_credentials"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.InternalServerError, "server_error");
        Assert.DoesNotContain("secret detail", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_storage_answers_503()
    {
        var store = new Mock<ITokenStore>();
        store.Setup(s => s.IssueAsync(It.IsAny<NewTokenPair>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new StorageUnavailableException("throttled", new Azure.RequestFailedException(429, "Too many requests")));
        await using var server = await OAuthTestServer.StartAsync(o => o.ConfigureServices = services => services.AddSingleton(store.Object));
        var client = await server.AddClientAsync();
        using var http = server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")), HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
    }

    private async Task<List<TokenEntity>> TokenRowsAsync(string clientId, TokenKind kind)
    {
        var rows = new List<TokenEntity>();
        await foreach (var row in _server.Tables.Tokens.QueryAsync<TokenEntity>(TableClient.CreateQueryFilter($"ClientId eq {clientId}")))
        {
            if (row.RowKey.Length > 0 && row.RowKey[0] == (char)kind)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private async Task<List<TokenEntity>> FamilyRowsAsync(string clientId)
    {
        var rows = new List<TokenEntity>();
        await foreach (var row in _server.Tables.Tokens.QueryAsync<TokenEntity>(TableClient.CreateQueryFilter($"ClientId eq {clientId}")))
        {
            if (row.PartitionKey[0] == FamilyKey.Prefix)
            {
                rows.Add(row);
            }
        }

        return rows;
    }
}
