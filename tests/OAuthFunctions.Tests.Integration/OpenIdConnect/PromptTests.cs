using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary><c>prompt</c>, <c>max_age</c> and <c>login_hint</c> (OpenID Connect Core §3.1.2.1, §3.1.2.6; docs/BEHAVIOUR.md §11).</summary>
public sealed class PromptTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Prompt_none_without_a_sign_in_returns_login_required_to_the_client()
    {
        var client = await _server.AddClientAsync();
        using var flow = new FlowDriver(_server);
        var capture = await flow.CaptureAsync(Request(client, ("prompt", "none"), ("state", "quiet")));
        Assert.Equal(HttpStatusCode.Found, capture.StatusCode);
        var location = capture.Headers.Location!;
        Assert.StartsWith(client.RedirectUri + "?", location.OriginalString, StringComparison.Ordinal);
        var query = FlowDriver.QueryOf(location);
        Assert.Equal("login_required", query["error"]);
        Assert.Equal("quiet", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Prompt_none_never_redirects_to_an_unregistered_uri()
    {
        // The attack: prompt=none as an oracle that sends "is this person signed in?" to a URI the attacker chose.
        var client = await _server.AddClientAsync();
        using var flow = new FlowDriver(_server);
        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("scope", "openid"), ("prompt", "none"), ("redirect_uri", "https://attacker.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, capture.StatusCode);
        Assert.Null(capture.Headers.Location);
        Assert.DoesNotContain("attacker.example", await capture.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_none_with_a_sign_in_for_an_untrusted_client_returns_consent_required()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(Request(client, ("prompt", "none")));
        Assert.Equal(HttpStatusCode.Found, confirm.StatusCode);
        Assert.Equal("consent_required", FlowDriver.QueryOf(confirm.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Prompt_none_with_a_sign_in_for_a_trusted_client_returns_a_code_without_any_page()
    {
        var client = await _server.AddClientAsync(trusted: true);
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(Request(client, ("prompt", "none")));
        Assert.Equal(HttpStatusCode.Found, confirm.StatusCode);
        Assert.Equal("/oauth2/redirect", confirm.Headers.Location!.OriginalString);
        var delivered = await flow.Http.GetAsync("/oauth2/redirect");
        Assert.True(FlowDriver.QueryOf(delivered.Headers.Location!).ContainsKey("code"));
    }

    [Theory]
    [InlineData("none login")]
    [InlineData("consent none")]
    [InlineData("sometimes")]
    public async Task Prompt_none_with_another_value_or_an_unknown_value_is_invalid_request(string prompt)
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(Request(client, ("prompt", prompt)));
        Assert.Equal("invalid_request", FlowDriver.QueryOf(confirm.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Max_age_0_forces_a_sign_in_and_the_id_token_has_the_new_auth_time()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        var firstSignIn = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Task.Delay(1100);

        var capture = await flow.CaptureAsync(Request(client, ("max_age", "0")));
        var confirm = await flow.Http.GetAsync(capture.Headers.Location);

        // Signed in, but not during this authorization: the login form again, then back to this authorization.
        Assert.Equal(HttpStatusCode.Found, confirm.StatusCode);
        var login = confirm.Headers.Location!.OriginalString;
        Assert.StartsWith("/oauth2/login?next=", login, StringComparison.Ordinal);
        var form = await flow.Http.GetAsync(login);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);

        var signedIn = await flow.Http.PostFormAsync(
            "/oauth2/login", ("csrf_token", FlowDriver.Csrf(html)), ("username", user.Username), ("password", Password), ("next", "/oauth2/authorize/confirm"));
        Assert.Equal("/oauth2/authorize/confirm", signedIn.Headers.Location!.OriginalString);
        var consent = await flow.Http.GetAsync("/oauth2/authorize/confirm");
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        var code = FlowDriver.QueryOf(await flow.ApproveAsync(consent))["code"];
        var tokens = await IdTokens.RedeemAsync(_server, client, code);
        var (_, claims) = await IdTokens.VerifyAsync(flow.Http, tokens.Str("id_token"));
        Assert.True(claims.GetProperty("auth_time").GetInt64() > firstSignIn);
    }

    [Fact]
    public async Task Max_age_without_a_sign_in_keeps_the_request_through_one_sign_in()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), Password);
        using var flow = new FlowDriver(_server);
        var capture = await flow.CaptureAsync(Request(client, ("max_age", "0"), ("login_hint", user.Username)));
        var login = capture.Headers.Location!.OriginalString;
        Assert.StartsWith("/oauth2/login?next=%2Foauth2%2Fauthorize%2Fconfirm", login, StringComparison.Ordinal);

        // login_hint: the username is filled in.
        var form = await flow.Http.GetAsync(login);
        Assert.Contains($"value=\"{user.Username}\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await flow.LoginAsync(user.Username, Password, "/oauth2/authorize/confirm");
        var consent = await flow.Http.GetAsync("/oauth2/authorize/confirm");
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
    }

    [Fact]
    public async Task Prompt_login_shows_the_login_form_even_when_signed_in()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(Request(client, ("prompt", "login")));
        var login = confirm.Headers.Location!.OriginalString;
        Assert.Contains("prompt=login", login, StringComparison.Ordinal);
        var form = await flow.Http.GetAsync(login);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("name=\"password\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_none_with_a_sign_in_older_than_max_age_returns_login_required()
    {
        var client = await _server.AddClientAsync(trusted: true);
        using var flow = await SignedInAsync();
        await Task.Delay(1100);
        var confirm = await flow.StartAsync(Request(client, ("prompt", "none"), ("max_age", "0")));
        Assert.Equal("login_required", FlowDriver.QueryOf(confirm.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Prompt_consent_shows_the_consent_page_to_a_trusted_client()
    {
        var client = await _server.AddClientAsync(trusted: true);
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(Request(client, ("prompt", "consent")));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("Approve", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_age_that_is_not_a_number_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var flow = await SignedInAsync();
        var confirm = await flow.StartAsync(Request(client, ("max_age", "-1")));
        Assert.Equal("invalid_request", FlowDriver.QueryOf(confirm.Headers.Location!)["error"]);
    }

    private static (string, string)[] Request(TestClient client, params (string, string)[] extra) =>
        [("client_id", client.ClientId), ("response_type", "code"), ("scope", "openid"), ("redirect_uri", client.RedirectUri), .. extra];

    private async Task<FlowDriver> SignedInAsync()
    {
        var user = await _server.AddUserAsync(NewName(), Password);
        var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        return flow;
    }

    private static string NewName() => "prompt-" + Guid.NewGuid().ToString("N")[..10];
}
