using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>ID tokens on the code flow and on refresh (OpenID Connect Core §3.1.3, §12.2; docs/BEHAVIOUR.md §11).</summary>
public sealed class IdTokenTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Code_exchange_with_openid_returns_a_signed_id_token_with_the_required_claims()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid read"), ("nonce", "n-0S6_WzA2Mj"));
        var tokens = await IdTokens.RedeemAsync(_server, client, callback["code"]);

        var (header, claims) = await IdTokens.VerifyAsync(flow.Http, tokens.Str("id_token"));
        Assert.Equal("RS256", header.Str("alg"));
        Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority), claims.Str("iss"));

        // §2: sub is stable per user: the user id, never the username (which another person may take later).
        Assert.Equal(user.UserId, claims.Str("sub"));
        Assert.Equal(client.ClientId, claims.Str("aud"));
        Assert.Equal("n-0S6_WzA2Mj", claims.Str("nonce"));
        Assert.Equal(IdTokens.AtHash(tokens.Str("access_token")), claims.Str("at_hash"));
        var iat = claims.GetProperty("iat").GetInt64();
        Assert.InRange(iat, before - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal(iat + 3600, claims.GetProperty("exp").GetInt64());
        Assert.InRange(claims.GetProperty("auth_time").GetInt64(), before - 5, iat);
        Assert.Equal("read openid", tokens.Str("scope"));
    }

    [Fact]
    public async Task Without_openid_the_exchange_has_no_id_token()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "read"), ("nonce", "abc"));
        var tokens = await IdTokens.RedeemAsync(_server, client, callback["code"]);
        Assert.False(tokens.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task Profile_and_email_claims_are_released_only_by_their_scopes()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password, name: "Alice Example", email: "alice@example.com", emailVerified: true);
        using var flow = new FlowDriver(_server);

        var profileOnly = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid profile"));
        var (_, first) = await IdTokens.VerifyAsync(flow.Http, (await IdTokens.RedeemAsync(_server, client, profileOnly["code"])).Str("id_token"));
        Assert.Equal("Alice Example", first.Str("name"));
        Assert.False(first.TryGetProperty("email", out _));

        var emailOnly = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid email"));
        var (_, second) = await IdTokens.VerifyAsync(flow.Http, (await IdTokens.RedeemAsync(_server, client, emailOnly["code"])).Str("id_token"));
        Assert.Equal("alice@example.com", second.Str("email"));
        Assert.True(second.GetProperty("email_verified").GetBoolean());
        Assert.False(second.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Refresh_returns_an_id_token_with_the_original_auth_time_and_no_nonce()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid"), ("nonce", "first-nonce"));
        var tokens = await IdTokens.RedeemAsync(_server, client, callback["code"]);
        var (_, original) = await IdTokens.VerifyAsync(flow.Http, tokens.Str("id_token"));

        var refreshed = await OAuthAssert.SuccessAsync(await flow.Http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        var (_, claims) = await IdTokens.VerifyAsync(flow.Http, refreshed.Str("id_token"));

        // OpenID Connect Core §12.2: same iss, sub, aud; auth_time of the original authentication; no nonce.
        Assert.Equal(original.Str("sub"), claims.Str("sub"));
        Assert.Equal(original.Str("iss"), claims.Str("iss"));
        Assert.Equal(client.ClientId, claims.Str("aud"));
        Assert.Equal(original.GetProperty("auth_time").GetInt64(), claims.GetProperty("auth_time").GetInt64());
        Assert.False(claims.TryGetProperty("nonce", out _));
        Assert.Equal(IdTokens.AtHash(refreshed.Str("access_token")), claims.Str("at_hash"));
    }

    [Fact]
    public async Task A_replayed_code_yields_no_second_id_token_for_its_nonce()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid"), ("nonce", "once-only"));
        await IdTokens.RedeemAsync(_server, client, callback["code"]);

        // The attacker replays the code hoping for a fresh ID token carrying the victim's nonce.
        using var http = _server.CreateClient();
        var replay = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", client.RedirectUri));
        var body = await OAuthAssert.ErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.False(body.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task A_nonce_sent_to_the_token_endpoint_does_not_reach_the_id_token()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid"), ("nonce", "from-the-browser"));
        var tokens = await OAuthAssert.SuccessAsync(await flow.Http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", client.RedirectUri), ("nonce", "injected")));
        var (_, claims) = await IdTokens.VerifyAsync(flow.Http, tokens.Str("id_token"));
        Assert.Equal("from-the-browser", claims.Str("nonce"));
    }

    [Fact]
    public async Task Openid_without_a_redirect_uri_goes_back_as_invalid_request()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        var confirm = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("scope", "openid"), ("state", "s"));
        Assert.Equal(HttpStatusCode.Found, confirm.StatusCode);
        var query = FlowDriver.QueryOf(confirm.Headers.Location!);
        Assert.Equal("invalid_request", query["error"]);
        Assert.Equal("s", query["state"]);
    }

    [Theory]
    [InlineData("client_credentials")]
    [InlineData("password")]
    public async Task Openid_is_refused_outside_the_code_flow(string grantType)
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", grantType), ("username", user.Username), ("password", Password), ("scope", "openid"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    private static string NewName() => "oidc-" + Guid.NewGuid().ToString("N")[..10];
}
