using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6), including the original package's cases.</summary>
public sealed class AuthorizationCodeGrantTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Valid_code_returns_access_and_refresh_token()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        Assert.Equal("Bearer", token.Str("token_type"));
        Assert.StartsWith("a", token.Str("access_token"), StringComparison.Ordinal);
        Assert.StartsWith("f", token.Str("refresh_token"), StringComparison.Ordinal);
        Assert.Equal("read", token.Str("scope"));
    }

    [Fact]
    public async Task Confidential_client_token_expires_in_365_days()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        Assert.Equal(365 * 24 * 3600, token.GetProperty("expires_in").GetInt64());
    }

    [Fact]
    public async Task Unknown_code_is_invalid_grant()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", "123")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Well_formed_but_unknown_code_is_invalid_grant()
    {
        var client = await _server.AddClientAsync();
        var forged = TokenHandle.Issue(TokenKind.AuthorizationCode, DateTimeOffset.UtcNow.AddMinutes(5)).Value;
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", forged)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Missing_code_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "authorization_code")), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Code_of_another_client_is_invalid_grant()
    {
        var (_, code) = await NewCodeAsync();
        var other = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(other, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", other.RedirectUri)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_used_twice_is_invalid_grant()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Second_use_of_code_revokes_the_tokens_it_produced()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        var first = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        var second = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        await OAuthAssert.ErrorAsync(second, HttpStatusCode.BadRequest, "invalid_grant");

        var introspection = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", first.Str("access_token"))));
        Assert.False(introspection.GetProperty("active").GetBoolean());
        var refresh = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token")));
        await OAuthAssert.ErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Redirect_uri_is_required_when_the_authorization_request_had_one()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Redirect_uri_must_be_identical()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri + "/"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Redirect_uri_may_be_omitted_when_the_authorization_request_had_none()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        var code = await _server.IssueCodeAsync(client, user, redirectUriGiven: false);
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code)));
    }

    [Fact]
    public async Task Code_with_challenge_needs_a_verifier()
    {
        var (client, code) = await NewCodeAsync(challenge: Pkce.ChallengeOf(Verifier));
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Wrong_verifier_is_invalid_grant_and_does_not_spend_the_code()
    {
        var (client, code) = await NewCodeAsync(challenge: Pkce.ChallengeOf(Verifier));
        using var http = _server.CreateClient();
        var wrong = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("code_verifier", Verifier.Replace('d', 'e')));
        await OAuthAssert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "invalid_grant");
        var right = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("code_verifier", Verifier));
        await OAuthAssert.SuccessAsync(right);
    }

    [Fact]
    public async Task Public_client_with_matching_verifier_gets_tokens_with_30_day_expiry_and_a_refresh_token()
    {
        var (client, code) = await NewCodeAsync(ClientType.Public, Pkce.ChallengeOf(Verifier));
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("code_verifier", Verifier)));
        Assert.Equal(30 * 24 * 3600, token.GetProperty("expires_in").GetInt64());
        Assert.StartsWith("f", token.Str("refresh_token"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifier_for_a_code_without_challenge_is_invalid_grant()
    {
        var (client, code) = await NewCodeAsync();
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("code_verifier", Verifier));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Narrower_scope_is_honoured()
    {
        var (client, code) = await NewCodeAsync(scope: "read write");
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("scope", "write")));
        Assert.Equal("write", token.Str("scope"));
    }

    [Fact]
    public async Task Escalating_the_scope_is_invalid_scope()
    {
        var (client, code) = await NewCodeAsync(scope: "read");
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("scope", "read write"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    private async Task<Core.Users.User> NewUserAsync() => await _server.AddUserAsync("code-user-" + Guid.NewGuid().ToString("N")[..8], "correct horse");

    private async Task<(TestClient Client, string Code)> NewCodeAsync(ClientType type = ClientType.Confidential, string? challenge = null, string scope = "read")
    {
        var client = await _server.AddClientAsync(type);
        var code = await _server.IssueCodeAsync(client, await NewUserAsync(), scope, codeChallenge: challenge);
        return (client, code);
    }
}
