using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0; docs/BEHAVIOUR.md §11), attacks first.</summary>
public sealed class EndSessionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private const string Path = "/oauth2/end_session";
    private const string AfterLogout = "https://client.example/signed-out";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task A_valid_hint_signs_out_and_returns_to_the_registered_uri_with_the_state()
    {
        var (flow, client, idToken) = await SignedInWithIdTokenAsync();
        var response = await flow.Http.GetAsync($"{Path}?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}&state=bye");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(AfterLogout + "?state=bye", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("oauth_session=;", StringComparison.Ordinal));

        // Signed out: the next authorization asks for the password.
        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://attacker.example/")]
    [InlineData("https://client.example/signed-out/../evil")]
    [InlineData("https://client.example/callback")]
    public async Task An_unregistered_post_logout_redirect_uri_is_a_page_never_a_redirect(string target)
    {
        var (flow, _, idToken) = await SignedInWithIdTokenAsync();
        var response = await flow.Http.GetAsync($"{Path}?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString(target)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain(target, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_logout_redirect_uri_without_a_client_is_a_page_never_a_redirect()
    {
        using var http = _server.CreateClient();
        var response = await http.GetAsync($"{Path}?post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_forged_id_token_hint_signs_nobody_out_and_redirects_nowhere()
    {
        var (flow, _, idToken) = await SignedInWithIdTokenAsync();

        // The attacker copies the real header (kid and all) and signs claims of their choosing with their own key.
        var header = idToken.Split('.')[0];
        var claims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"iss\":\"" + _server.BaseAddress.GetLeftPart(UriPartial.Authority) + "\",\"sub\":\"x\",\"aud\":\"y\"}"));
        using var rsa = RSA.Create(2048);
        var signature = Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var forged = header + "." + claims + "." + signature;

        var response = await flow.Http.GetAsync($"{Path}?id_token_hint={forged}&post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("oauth_session=;", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_hint_whose_audience_is_another_client_than_client_id_is_refused()
    {
        var (flow, _, idToken) = await SignedInWithIdTokenAsync();
        var other = await _server.AddClientAsync(postLogoutRedirectUris: ["https://other.example/bye"]);
        var response = await flow.Http.GetAsync($"{Path}?id_token_hint={idToken}&client_id={other.ClientId}&post_logout_redirect_uri={Uri.EscapeDataString("https://other.example/bye")}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Without_a_hint_a_signed_in_person_is_asked_before_being_signed_out()
    {
        var (flow, client, _) = await SignedInWithIdTokenAsync();

        // A cross-site link alone must not sign the person out.
        var page = await flow.Http.GetAsync($"{Path}?client_id={client.ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}&state=s1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Sign out?", html, StringComparison.Ordinal);
        var forged = await flow.Http.PostFormAsync(Path, ("client_id", client.ClientId), ("post_logout_redirect_uri", AfterLogout));
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        html = await forged.Content.ReadAsStringAsync();
        Assert.Contains("Sign out?", html, StringComparison.Ordinal);

        var confirmed = await flow.Http.PostFormAsync(
            Path, ("csrf_token", FlowDriver.Csrf(html)), ("client_id", client.ClientId), ("post_logout_redirect_uri", AfterLogout), ("state", "s1"));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        Assert.Equal(AfterLogout + "?state=s1", confirmed.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_expired_id_token_hint_is_still_accepted()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.FakeTime = true);
        var client = await server.AddClientAsync(postLogoutRedirectUris: [AfterLogout]);
        var user = await server.AddUserAsync("bye-" + Guid.NewGuid().ToString("N")[..8], Password);
        using var flow = new FlowDriver(server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid"));
        var idToken = (await IdTokens.RedeemAsync(server, client, callback["code"])).Str("id_token");
        server.FakeTime!.Advance(TimeSpan.FromHours(2));

        using var http = server.CreateClient();
        var response = await http.GetAsync($"{Path}?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    private async Task<(FlowDriver Flow, TestClient Client, string IdToken)> SignedInWithIdTokenAsync()
    {
        var client = await _server.AddClientAsync(postLogoutRedirectUris: [AfterLogout]);
        var user = await _server.AddUserAsync("bye-" + Guid.NewGuid().ToString("N")[..10], Password);
        var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, Password, ("scope", "openid"));
        return (flow, client, (await IdTokens.RedeemAsync(_server, client, callback["code"])).Str("id_token"));
    }
}
