using System.Net;
using System.Text.Json;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>The refresh_token grant (RFC 6749 §6) with rotation and reuse detection (OAuth 2.0 Security BCP §4.14).</summary>
public sealed class RefreshTokenGrantTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Refresh_issues_a_new_access_token_and_a_new_refresh_token()
    {
        var (client, first) = await TokensAsync();
        using var http = _server.CreateClient();
        var second = await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, first.Str("refresh_token")));
        Assert.NotEqual(first.Str("access_token"), second.Str("access_token"));
        Assert.NotEqual(first.Str("refresh_token"), second.Str("refresh_token"));
        Assert.Equal("Bearer", second.Str("token_type"));
    }

    [Fact]
    public async Task Old_access_token_stops_working_after_refresh()
    {
        var (client, first) = await TokensAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, first.Str("refresh_token")));
        Assert.False(await ActiveAsync(http, client, first.Str("access_token")));
    }

    [Fact]
    public async Task Refreshing_then_reusing_the_old_refresh_token_is_invalid_grant()
    {
        var (client, first) = await TokensAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, first.Str("refresh_token")));
        await OAuthAssert.ErrorAsync(await RefreshAsync(http, client, first.Str("refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_family()
    {
        var (client, first) = await TokensAsync();
        using var http = _server.CreateClient();
        var second = await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, first.Str("refresh_token")));
        var third = await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, second.Str("refresh_token")));

        await RefreshAsync(http, client, first.Str("refresh_token"));

        Assert.False(await ActiveAsync(http, client, third.Str("access_token")));
        await OAuthAssert.ErrorAsync(await RefreshAsync(http, client, third.Str("refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Narrower_scope_is_honoured_and_the_new_refresh_token_keeps_the_original_scope()
    {
        var (client, first) = await TokensAsync("read write");
        using var http = _server.CreateClient();
        var narrowed = await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, first.Str("refresh_token"), ("scope", "read")));
        Assert.Equal("read", narrowed.Str("scope"));

        // RFC 6749 §6: the new refresh token has the scope of the one it replaced, so the full scope is still available.
        var full = await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, narrowed.Str("refresh_token"), ("scope", "read write")));
        Assert.Equal("read write", full.Str("scope"));
    }

    [Fact]
    public async Task Wider_scope_is_invalid_scope()
    {
        var (client, first) = await TokensAsync("read");
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await RefreshAsync(http, client, first.Str("refresh_token"), ("scope", "read write")), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Refresh_token_of_another_client_is_invalid_grant()
    {
        var (_, first) = await TokensAsync();
        var other = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await RefreshAsync(http, other, first.Str("refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Missing_refresh_token_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token")), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Access_token_presented_as_refresh_token_is_invalid_grant()
    {
        var (client, first) = await TokensAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await RefreshAsync(http, client, first.Str("access_token")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Public_client_refresh_rotates_too()
    {
        var (client, first) = await TokensAsync(type: ClientType.Public);
        using var http = _server.CreateClient();
        var second = await OAuthAssert.SuccessAsync(await RefreshAsync(http, client, first.Str("refresh_token")));
        Assert.NotEqual(first.Str("refresh_token"), second.Str("refresh_token"));
        await OAuthAssert.ErrorAsync(await RefreshAsync(http, client, first.Str("refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient http, TestClient client, string refreshToken, params (string, string)[] extra) =>
        http.TokenAsync(client, [("grant_type", "refresh_token"), ("refresh_token", refreshToken), .. extra]);

    private async Task<bool> ActiveAsync(HttpClient http, TestClient client, string token)
    {
        var introspector = client.Secret is null ? await _server.AddClientAsync() : client;
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", token)));
        return answer.GetProperty("active").GetBoolean();
    }

    /// <summary>A client and a first token pair from a code exchange (PKCE for public clients).</summary>
    private async Task<(TestClient Client, JsonElement Tokens)> TokensAsync(string scope = "read", ClientType type = ClientType.Confidential)
    {
        const string Verifier = "verifier-verifier-verifier-verifier-verifier-0123";
        var client = await _server.AddClientAsync(type);
        var user = await _server.AddUserAsync("refresh-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var challenge = type == ClientType.Public ? Core.Tokens.Pkce.ChallengeOf(Verifier) : null;
        var code = await _server.IssueCodeAsync(client, user, scope, codeChallenge: challenge);
        using var http = _server.CreateClient();
        (string, string)[] fields = challenge is null
            ? [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)]
            : [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("code_verifier", Verifier)];
        return (client, await OAuthAssert.SuccessAsync(await http.TokenAsync(client, fields)));
    }
}
