using System.Net;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>The login and logout pages (docs/BEHAVIOUR.md §5): CSRF, no user enumeration, no open redirect, throttling.</summary>
public sealed class LoginTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Correct_credentials_sign_in_and_go_to_next()
    {
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        var response = await flow.LoginAsync(user.Username, Password, "/oauth2/authorize?client_id=x");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/oauth2/authorize?client_id=x", response.Headers.Location!.OriginalString);
        Assert.Contains(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session" && cookie.HttpOnly);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_generic_message()
    {
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        var wrong = await (await flow.LoginAsync(user.Username, "wrong password")).Content.ReadAsStringAsync();
        var unknown = await (await flow.LoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], Password)).Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(LoginEndpoint.FailedMessage).Replace("&#39;", "&#x27;", StringComparison.Ordinal), wrong, StringComparison.Ordinal);
        Assert.Equal(Errors(wrong), Errors(unknown));
        Assert.DoesNotContain(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session");
    }

    [Fact]
    public async Task Disabled_user_cannot_sign_in()
    {
        var user = await _server.AddUserAsync("disabled-" + Guid.NewGuid().ToString("N")[..8], Password, disabled: true);
        using var flow = new FlowDriver(_server);
        var response = await flow.LoginAsync(user.Username, Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session");
    }

    [Fact]
    public async Task Post_without_the_anti_forgery_token_does_not_sign_in()
    {
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        var response = await flow.Http.PostFormAsync("/oauth2/login", ("username", user.Username), ("password", Password));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task Next_outside_this_server_is_ignored(string next)
    {
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        var response = await flow.LoginAsync(user.Username, Password, next);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Repeated_failures_from_one_address_are_throttled()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var user = await server.AddUserAsync("throttle-" + Guid.NewGuid().ToString("N")[..8], Password);
        using var flow = new FlowDriver(server);
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            await flow.LoginAsync("nobody-" + i, "wrong password");
        }

        var blocked = await flow.LoginAsync(user.Username, Password);
        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
        Assert.DoesNotContain(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session");
    }

    [Fact]
    public async Task Next_with_characters_a_header_cannot_carry_is_ignored_not_a_fault()
    {
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        var response = await flow.LoginAsync(user.Username, Password, "/oauth2/\u00e9t\u00e9");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session");
        OAuthAssert.NoStore(response);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var user = await NewUserAsync();
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        var logout = await flow.Http.PostFormAsync("/oauth2/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var capture = await flow.CaptureAsync(("client_id", "x"), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_session_cookie_is_not_a_session()
    {
        using var flow = new FlowDriver(_server);
        flow.Cookies.Add(_server.BaseAddress, new Cookie("oauth_session", "CfDJ8forged") { Path = "/oauth2" });
        var capture = await flow.CaptureAsync(("client_id", "x"), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private async Task<User> NewUserAsync() => await _server.AddUserAsync("login-" + Guid.NewGuid().ToString("N")[..8], Password);

    private static string Errors(string html) =>
        string.Join('|', System.Text.RegularExpressions.Regex.Matches(html, "class=\"error\"[^>]*>([^<]*)<").Select(m => m.Groups[1].Value));
}
