using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>
/// Walks the authorization pages as a browser without JavaScript would: one cookie jar, no automatic redirects,
/// anti-forgery tokens read from the forms.
/// </summary>
internal sealed partial class FlowDriver : IDisposable
{
    private readonly OAuthTestServer _server;

    public FlowDriver(OAuthTestServer server, CookieContainer? cookies = null)
    {
        _server = server;
        Cookies = cookies ?? new CookieContainer();
        Http = server.CreateClient(Cookies);
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public OAuthTestServer Server => _server;

    /// <summary>Signs in through the login form; returns the final response (302 to next, or the page).</summary>
    public async Task<HttpResponseMessage> LoginAsync(string username, string password, string? next = null)
    {
        var form = await Http.GetAsync("/oauth2/login" + (next is null ? string.Empty : "?next=" + Uri.EscapeDataString(next)));
        var csrf = Csrf(await form.Content.ReadAsStringAsync());
        return await Http.PostFormAsync("/oauth2/login", ("csrf_token", csrf), ("username", username), ("password", password), ("next", next ?? string.Empty));
    }

    /// <summary>GET /oauth2/authorize with the given parameters (capture).</summary>
    public Task<HttpResponseMessage> CaptureAsync(params (string Name, string Value)[] parameters) =>
        Http.GetAsync("/oauth2/authorize" + QueryString.Create(parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value))));

    /// <summary>Capture, then GET the confirm page.</summary>
    public async Task<HttpResponseMessage> StartAsync(params (string Name, string Value)[] parameters)
    {
        var capture = await CaptureAsync(parameters);
        Assert.Equal(HttpStatusCode.Found, capture.StatusCode);
        Assert.Equal("/oauth2/authorize/confirm", capture.Headers.Location?.OriginalString);
        return await Http.GetAsync("/oauth2/authorize/confirm");
    }

    /// <summary>Submits the consent form shown by <paramref name="consentPage"/>.</summary>
    public async Task<HttpResponseMessage> DecideAsync(HttpResponseMessage consentPage, bool approve)
    {
        var csrf = Csrf(await consentPage.Content.ReadAsStringAsync());
        return await Http.PostFormAsync("/oauth2/authorize/confirm", ("csrf_token", csrf), ("decision", approve ? "approve" : "deny"));
    }

    /// <summary>Approve on the consent page, then follow /oauth2/redirect; returns the client redirect URI.</summary>
    public async Task<Uri> ApproveAsync(HttpResponseMessage consentPage)
    {
        var decided = await DecideAsync(consentPage, approve: true);

        // OAuth 2.0 Security BCP §4.12: 303 after a POST.
        Assert.Equal(HttpStatusCode.SeeOther, decided.StatusCode);
        Assert.Equal("/oauth2/redirect", decided.Headers.Location?.OriginalString);
        var delivered = await Http.GetAsync("/oauth2/redirect");
        Assert.Equal(HttpStatusCode.Found, delivered.StatusCode);
        return delivered.Headers.Location!;
    }

    public static Dictionary<string, string> QueryOf(Uri location) =>
        QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public static Dictionary<string, string> FragmentOf(Uri location) =>
        QueryHelpers.ParseQuery(location.Fragment.TrimStart('#')).ToDictionary(p => p.Key, p => p.Value.ToString());

    public static string Csrf(string html)
    {
        var match = CsrfField().Match(html);
        Assert.True(match.Success, "The page has no csrf_token field.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]*)\"")]
    private static partial Regex CsrfField();
}
