using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>
/// Capture → confirm → redirect (docs/BEHAVIOUR.md §5, RFC 6749 §4.1), with the original package's authorization cases.
/// </summary>
public sealed class AuthorizationFlowTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Authorization_requires_login_and_comes_back_after_it()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "abc"));
        Assert.Equal(HttpStatusCode.Found, capture.StatusCode);
        var login = capture.Headers.Location!.OriginalString;
        Assert.StartsWith("/oauth2/login?next=", login, StringComparison.Ordinal);

        var next = Uri.UnescapeDataString(login["/oauth2/login?next=".Length..]);
        var signedIn = await flow.LoginAsync(user.Username, Password, next);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(next, signedIn.Headers.Location!.OriginalString);

        var again = await flow.Http.GetAsync(next);
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.Equal("/oauth2/authorize/confirm", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Capture_moves_the_parameters_out_of_the_url()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "secret-state"));
        Assert.Equal("/oauth2/authorize/confirm", capture.Headers.Location!.OriginalString);
        Assert.DoesNotContain("secret-state", capture.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("code")]
    [InlineData("token")]
    public async Task Missing_client_id_is_a_400_page(string responseType)
    {
        using var flow = await SignedInAsync();
        var page = await flow.StartAsync(("response_type", responseType));
        await AssertPageAsync(page, HttpStatusCode.BadRequest, "An unauthorized client tried to access your resources.");
    }

    [Theory]
    [InlineData("code")]
    [InlineData("token")]
    public async Task Unknown_client_id_is_a_400_page_never_a_redirect(string responseType)
    {
        using var flow = await SignedInAsync();
        var page = await flow.StartAsync(("client_id", "123"), ("response_type", responseType), ("redirect_uri", "https://evil.example/cb"));
        await AssertPageAsync(page, HttpStatusCode.BadRequest, "An unauthorized client tried to access your resources.");
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_a_400_page_never_a_redirect()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var page = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", client.RedirectUri + "-invalid"));
        await AssertPageAsync(page, HttpStatusCode.BadRequest, "The requested redirect didn't match the client settings.");
    }

    [Fact]
    public async Task Absent_redirect_uri_with_several_registered_is_a_400_page()
    {
        var client = await _server.AddClientAsync(redirectUris: ["https://client.example/a", "https://client.example/b"]);
        using var flow = await SignedInAsync();
        var page = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"));
        await AssertPageAsync(page, HttpStatusCode.BadRequest, "The requested redirect didn't match the client settings.");
    }

    [Fact]
    public async Task Registered_redirect_uri_shows_the_consent_page()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var page = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", client.RedirectUri));
        await AssertPageAsync(page, HttpStatusCode.OK, "Test Client");
    }

    [Fact]
    public async Task Missing_response_type_goes_back_to_the_client_as_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var response = await flow.StartAsync(("client_id", client.ClientId), ("state", "xyz"));
        var error = ClientRedirect(response, client);
        Assert.Equal("invalid_request", error["error"]);
        Assert.Equal("xyz", error["state"]);
        Assert.False(string.IsNullOrEmpty(error["error_description"]));
    }

    [Theory]
    [InlineData("unsupported")]
    [InlineData("token")]
    public async Task Unsupported_response_type_goes_back_as_unsupported_response_type(string responseType)
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var error = ClientRedirect(await flow.StartAsync(("client_id", client.ClientId), ("response_type", responseType)), client);
        Assert.Equal("unsupported_response_type", error["error"]);
    }

    [Fact]
    public async Task Invalid_scope_goes_back_as_invalid_scope()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var error = ClientRedirect(await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("scope", "invalid")), client);
        Assert.Equal("invalid_scope", error["error"]);
    }

    [Fact]
    public async Task Valid_scope_shows_the_scopes_in_words()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var page = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("scope", "read write"));
        var html = await AssertPageAsync(page, HttpStatusCode.OK, "Read your data");
        Assert.Contains("Create, change and delete your data", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_client_without_pkce_goes_back_as_invalid_request()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        using var flow = await SignedInAsync();
        var error = ClientRedirect(await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code")), client);
        Assert.Equal("invalid_request", error["error"]);
    }

    [Fact]
    public async Task Plain_pkce_method_goes_back_as_invalid_request()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        using var flow = await SignedInAsync();
        var response = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("code_challenge", new string('a', 43)), ("code_challenge_method", "plain"));
        Assert.Equal("invalid_request", ClientRedirect(response, client)["error"]);
    }

    [Fact]
    public async Task Denied_goes_back_as_access_denied_with_state_and_no_code()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var consent = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "abc"));
        var denied = await flow.DecideAsync(consent, approve: false);
        var result = ClientRedirect(denied, client);
        Assert.Equal("access_denied", result["error"]);
        Assert.Equal("abc", result["state"]);
        Assert.False(result.ContainsKey("code"));
    }

    [Fact]
    public async Task Granted_delivers_a_code_and_preserves_the_state()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var consent = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "abc"));
        var location = await flow.ApproveAsync(consent);
        var query = FlowDriver.QueryOf(location);
        Assert.StartsWith(client.RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        Assert.Equal("abc", query["state"]);
        Assert.False(query.ContainsKey("error"));
        Assert.StartsWith("c", query["code"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_scope_is_the_first_defined_one()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var code = FlowDriver.QueryOf(await flow.ApproveAsync(await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"))))["code"];
        var token = await OAuthAssert.SuccessAsync(await flow.Http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code)));
        Assert.Equal("read", token.Str("scope"));
    }

    [Fact]
    public async Task Query_in_the_registered_redirect_uri_is_kept()
    {
        var client = await _server.AddClientAsync(redirectUris: ["https://client.example/cb?tenant=42"]);
        using var flow = await SignedInAsync();
        var location = await flow.ApproveAsync(await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "s")));
        var query = FlowDriver.QueryOf(location);
        Assert.Equal("42", query["tenant"]);
        Assert.True(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Loopback_redirect_uri_may_use_any_port()
    {
        var client = await _server.AddClientAsync(redirectUris: ["http://127.0.0.1/callback"]);
        using var flow = await SignedInAsync();
        var redirectUri = "http://127.0.0.1:51234/callback";
        var location = await flow.ApproveAsync(await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", redirectUri)));
        Assert.StartsWith(redirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var code = FlowDriver.QueryOf(location)["code"];
        await OAuthAssert.SuccessAsync(await flow.Http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri)));
    }

    [Fact]
    public async Task Long_state_reaches_the_client_intact()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var state = new string('s', 1500);
        var location = await flow.ApproveAsync(await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", state)));
        Assert.Equal(state, FlowDriver.QueryOf(location)["state"]);
    }

    [Fact]
    public async Task Redirect_without_captured_data_is_400_invalid_data()
    {
        using var flow = await SignedInAsync();
        var response = await flow.Http.GetAsync("/oauth2/redirect");
        var error = await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_data");
        Assert.Equal("Data has not been captured", error.Str("error_description"));
    }

    [Fact]
    public async Task Confirm_without_a_captured_request_is_a_400_session_expired_page()
    {
        using var flow = await SignedInAsync();
        await AssertPageAsync(await flow.Http.GetAsync("/oauth2/authorize/confirm"), HttpStatusCode.BadRequest, "Authorization session has expired.");
    }

    [Fact]
    public async Task Consent_post_without_the_anti_forgery_token_is_refused()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"));
        var forged = await flow.Http.PostFormAsync("/oauth2/authorize/confirm", ("decision", "approve"), ("csrf_token", "guess"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var redirect = await flow.Http.GetAsync("/oauth2/redirect");
        Assert.Equal(HttpStatusCode.BadRequest, redirect.StatusCode);
    }

    [Fact]
    public async Task Trusted_client_skips_consent()
    {
        var client = await _server.AddClientAsync(trusted: true);
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "t"));
        Assert.Equal(HttpStatusCode.Found, confirm.StatusCode);
        Assert.Equal("/oauth2/redirect", confirm.Headers.Location!.OriginalString);
        var delivered = await flow.Http.GetAsync("/oauth2/redirect");
        Assert.True(FlowDriver.QueryOf(delivered.Headers.Location!).ContainsKey("code"));
    }

    [Fact]
    public async Task Pages_carry_the_security_headers()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var consent = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"));
        var login = await new FlowDriver(_server).Http.GetAsync("/oauth2/login");
        foreach (var page in new[] { consent, login })
        {
            Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
            OAuthAssert.NoStore(page);
        }
    }

    private async Task<Core.Users.User> NewUserAsync() => await _server.AddUserAsync("flow-" + Guid.NewGuid().ToString("N")[..8], Password);

    private async Task<FlowDriver> SignedInAsync()
    {
        var user = await NewUserAsync();
        var flow = new FlowDriver(_server);
        var signedIn = await flow.LoginAsync(user.Username, Password);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        return flow;
    }

    private static async Task<string> AssertPageAsync(HttpResponseMessage page, HttpStatusCode status, string text)
    {
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(status == page.StatusCode, $"Expected {(int)status}, got {(int)page.StatusCode}: {page.Headers.Location} {html}");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Contains(text, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        OAuthAssert.NoLeak(html);
        return html;
    }

    /// <summary>The parameters of a redirect straight back to the client's registered URI.</summary>
    private static Dictionary<string, string> ClientRedirect(HttpResponseMessage response, TestClient client)
    {
        // 302 from a GET; 303 from the consent form's POST (OAuth 2.0 Security BCP §4.12).
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Found, HttpStatusCode.SeeOther });
        var location = response.Headers.Location!;
        Assert.StartsWith(client.RedirectUri, location.ToString(), StringComparison.Ordinal);
        return FlowDriver.QueryOf(location);
    }
}
