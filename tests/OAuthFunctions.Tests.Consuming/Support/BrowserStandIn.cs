using System.Net;
using System.Text.RegularExpressions;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>
/// A person at a browser without JavaScript, as an HTTP client with a cookie jar: opens the URL an app printed, signs in,
/// approves, and follows the server back to the app's redirect URI (tests/OAuthFunctions.Tests.Integration's
/// FlowDriver does the same for the protocol tests).
/// </summary>
internal sealed partial class BrowserStandIn(OAuthTestServer server) : IDisposable
{
    private readonly HttpClient _server = server.CreateClient();
    private readonly HttpClient _elsewhere = new(new HttpClientHandler { AllowAutoRedirect = false });

    /// <summary>Signs in and approves; returns the app's answer to the redirect (its loopback listener's page).</summary>
    public async Task<(Uri Redirect, HttpResponseMessage AppPage)> SignInAndApproveAsync(string authorizeUrl, string username, string password)
    {
        // Capture: not signed in, so to the login page with next=the authorization request.
        var capture = await _server.GetAsync(new Uri(authorizeUrl));
        Assert.Equal(HttpStatusCode.Found, capture.StatusCode);
        var loginPage = await _server.GetAsync(capture.Headers.Location!);
        var loginForm = await loginPage.Content.ReadAsStringAsync();
        var next = Field(loginForm, "next");
        var signedIn = await PostFormAsync("/oauth2/login", ("csrf_token", Field(loginForm, "csrf_token")), ("username", username), ("password", password), ("next", next));
        Assert.True(signedIn.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther, $"Sign-in answered {(int)signedIn.StatusCode}.");

        // Back at the authorization request, now captured, then the consent page.
        var captured = await _server.GetAsync(signedIn.Headers.Location!);
        Assert.Equal(HttpStatusCode.Found, captured.StatusCode);
        var consentPage = await (await _server.GetAsync(captured.Headers.Location!)).Content.ReadAsStringAsync();
        var decided = await PostFormAsync("/oauth2/authorize/confirm", ("csrf_token", Field(consentPage, "csrf_token")), ("decision", "approve"));
        Assert.Equal(HttpStatusCode.SeeOther, decided.StatusCode);
        var delivered = await _server.GetAsync(decided.Headers.Location!);
        Assert.Equal(HttpStatusCode.Found, delivered.StatusCode);

        // The app's redirect URI is not the server: the browser goes there with the code.
        var redirect = delivered.Headers.Location!;
        return (redirect, await _elsewhere.GetAsync(redirect));
    }

    public void Dispose()
    {
        _server.Dispose();
        _elsewhere.Dispose();
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await _server.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static string Field(string html, string name)
    {
        var match = FormField().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.True(match is not null, $"The page has no {name} field.");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    [GeneratedRegex("name=\"(?<name>[a-z_]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex FormField();
}
