using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>
/// docs/BEHAVIOUR.md §5: the sign-in page names the application when the sign-in belongs to an authorization request,
/// as the consent page does, so a person knows who asks before typing a password.
/// </summary>
public sealed class SignInPageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Sign_in_for_an_authorization_request_names_the_application()
    {
        var client = await _server.AddClientAsync(name: "Photo Printer");
        using var flow = new FlowDriver(_server);

        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "s"));
        var page = await flow.Http.GetStringAsync(capture.Headers.Location);

        Assert.Contains("<title>Sign in to continue to Photo Printer</title>", page, StringComparison.Ordinal);
        Assert.Contains("to continue to <span class=\"client\">Photo Printer</span>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_again_on_the_consent_page_names_the_application_from_the_flow()
    {
        var client = await _server.AddClientAsync(name: "Calendar Sync");
        var user = await _server.AddUserAsync("signin-flow-" + Guid.NewGuid().ToString("N")[..8], Password);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "s"));

        // The sign-in ends (here: its cookie is gone) while the flow waits on the consent page.
        foreach (Cookie cookie in flow.Cookies.GetAllCookies())
        {
            if (cookie.Name == "oauth_session")
            {
                cookie.Expired = true;
            }
        }

        var confirm = await flow.Http.GetAsync("/oauth2/authorize/confirm");
        Assert.Equal("/oauth2/login?next=%2Foauth2%2Fauthorize%2Fconfirm", confirm.Headers.Location?.OriginalString);
        var page = await flow.Http.GetStringAsync(confirm.Headers.Location);
        Assert.Contains("to continue to <span class=\"client\">Calendar Sync</span>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sign_in_still_names_the_application()
    {
        var client = await _server.AddClientAsync(name: "Photo Printer");
        using var flow = new FlowDriver(_server);

        var failed = await flow.LoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], Password, $"/oauth2/authorize?client_id={client.ClientId}&response_type=code");

        Assert.Contains("to continue to <span class=\"client\">Photo Printer</span>", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?next=%2Foauth2%2Fauthorize%3Fclient_id%3Dno-such-client")]
    [InlineData("?next=%2Foauth2%2Fauthorize%2Fconfirm")]
    [InlineData("?next=%2Fsomewhere%3Fclient_id%3Dx")]
    public async Task Sign_in_without_a_known_application_names_none(string query)
    {
        using var http = _server.CreateClient();

        var page = await http.GetStringAsync("/oauth2/login" + query);

        Assert.Contains("<title>Sign in</title>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("to continue to", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_name_is_html_encoded()
    {
        var client = await _server.AddClientAsync(name: "<script>alert(1)</script>");
        using var http = _server.CreateClient();

        var page = await http.GetStringAsync("/oauth2/login?next=" + Uri.EscapeDataString("/oauth2/authorize?client_id=" + client.ClientId));

        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
    }
}
