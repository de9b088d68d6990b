using System.Net;
using System.Net.Http.Headers;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>The UserInfo endpoint (OpenID Connect Core §5.3) and its bearer token errors (RFC 6750 §3).</summary>
public sealed class UserInfoTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private const string Path = "/oauth2/userinfo";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Userinfo_returns_the_id_token_sub_and_the_claims_the_scopes_release()
    {
        var (http, tokens, user, _) = await TokensAsync("openid profile");
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Str("access_token"));
        var info = await OAuthAssert.SuccessAsync(await http.SendAsync(request));

        var (_, idToken) = await IdTokens.VerifyAsync(http, tokens.Str("id_token"));
        Assert.Equal(idToken.Str("sub"), info.Str("sub"));
        Assert.Equal(user.UserId, info.Str("sub"));
        Assert.Equal("Bob Example", info.Str("name"));
        Assert.False(info.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Userinfo_accepts_the_token_as_a_form_field_of_a_post()
    {
        var (http, tokens, _, _) = await TokensAsync("openid email");
        var info = await OAuthAssert.SuccessAsync(await http.PostFormAsync(Path, ("access_token", tokens.Str("access_token"))));
        Assert.Equal("bob@example.com", info.Str("email"));
        Assert.False(info.GetProperty("email_verified").GetBoolean());
    }

    [Fact]
    public async Task Userinfo_without_a_token_is_401_with_a_bearer_challenge_and_no_error_code()
    {
        using var http = _server.CreateClient();
        var response = await http.GetAsync(Path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"oauth2\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        OAuthAssert.NoStore(response);
    }

    [Theory]
    [InlineData("a00000000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task Userinfo_with_an_unknown_or_forged_token_is_401_invalid_token(string token)
    {
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Userinfo_with_a_token_without_openid_is_403_insufficient_scope()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Str("access_token"));
        var response = await http.SendAsync(request);
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("error=\"insufficient_scope\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Userinfo_with_the_token_in_the_header_and_the_body_is_400_invalid_request()
    {
        var (http, tokens, _, _) = await TokensAsync("openid");
        var response = await http.PostFormAsync(Path, new AuthenticationHeaderValue("Bearer", tokens.Str("access_token")), ("access_token", tokens.Str("access_token")));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Userinfo_with_a_revoked_token_is_401_invalid_token()
    {
        var (http, tokens, _, client) = await TokensAsync("openid");
        await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("access_token")));
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Str("access_token"));
        await OAuthAssert.ErrorAsync(await http.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_token");
    }

    private async Task<(HttpClient Http, System.Text.Json.JsonElement Tokens, Core.Users.User User, TestClient Client)> TokensAsync(string scope)
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("info-" + Guid.NewGuid().ToString("N")[..10], Password, name: "Bob Example", email: "bob@example.com");
        var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", scope));
        return (flow.Http, await IdTokens.RedeemAsync(_server, client, callback["code"]), user, client);
    }
}
