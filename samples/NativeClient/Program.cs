using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel.Client;

// A command-line app signing a person in (RFC 8252, OAuth 2.0 for native apps): it is a public client, so it proves
// itself with PKCE (RFC 7636) instead of a secret; the server sends the browser back to a loopback address on a port
// the app picked at random (§7.3), where the app listens for that one request. Settings from the environment:
//   OAUTH_AUTHORITY   the server's issuer, e.g. https://login.example.com
//   OAUTH_CLIENT_ID   this app's client id (a public client registered with http://127.0.0.1/callback)
//   NOTES_API         optional: an API to call with the token
// Exit code 0 when signed in (and the API, if any, answered 2xx); otherwise 1 with the reason on stderr.
if (Environment.GetEnvironmentVariable("OAUTH_AUTHORITY") is not { Length: > 0 } authority
    || Environment.GetEnvironmentVariable("OAUTH_CLIENT_ID") is not { Length: > 0 } clientId)
{
    return Fail("Set OAUTH_AUTHORITY and OAUTH_CLIENT_ID.");
}

using var http = new HttpClient();
var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
{
    Address = authority,
    Policy = new DiscoveryPolicy
    {
        DiscoveryDocumentPath = "/.well-known/oauth-authorization-server",
        RequireKeySet = false,
        RequireHttps = true,
        AllowHttpOnLoopback = true,
    },
});
if (discovery.IsError)
{
    return Fail($"discovery failed: {discovery.Error}");
}

// RFC 8252 §7.3: the loopback IP literal (not "localhost", §8.3), any free port; the server matches the registered
// http://127.0.0.1/callback on any port.
using var listener = Listen(out var redirectUri);

// RFC 7636 §4.1, §4.2: a one-time secret, and its SHA-256 for the authorization request. state (RFC 6749 §10.12)
// ties the answer to this request.
var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
var authorizeUrl = new RequestUrl(discovery.AuthorizeEndpoint!).CreateAuthorizeUrl(
    clientId: clientId,
    responseType: "code",
    scope: "read write",
    redirectUri: redirectUri,
    state: state,
    codeChallenge: challenge,
    codeChallengeMethod: "S256");

// RFC 8252 §8.12: the person signs in in their own browser, never in a view this app controls.
Console.WriteLine("Open this URL in your browser to sign in:");
Console.WriteLine(authorizeUrl);

var (code, error) = await ReceiveAsync(listener, state, TimeSpan.FromMinutes(5));
if (code is null)
{
    return Fail($"sign-in failed: {error}");
}

var token = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
{
    Address = discovery.TokenEndpoint,
    ClientId = clientId,
    Code = code,
    RedirectUri = redirectUri,
    CodeVerifier = verifier,
});
if (token.IsError)
{
    // A 401 invalid_client is an HTTP error to IdentityModel; the OAuth error code is in the body (RFC 6749 §5.2).
    return Fail($"token request failed: {token.TryGet("error") ?? token.Error}");
}

Console.WriteLine($"Signed in: {token.TokenType} token, scope \"{token.Scope}\", expires in {token.ExpiresIn} s{(token.RefreshToken is null ? string.Empty : ", with a refresh token")}.");
if (Environment.GetEnvironmentVariable("NOTES_API") is { Length: > 0 } api)
{
    http.SetBearerToken(token.AccessToken!);
    using var notes = await http.GetAsync(new Uri(new Uri(api), "/notes"));
    Console.WriteLine($"GET /notes: {(int)notes.StatusCode} {await notes.Content.ReadAsStringAsync()}");
    return notes.IsSuccessStatusCode ? 0 : Fail("the API refused the token");
}

return 0;

static HttpListener Listen(out string redirectUri)
{
    // A free port from the system, then the listener on it; another process may take it in between, so try again.
    for (var attempt = 0; ; attempt++)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            listener.Start();
            redirectUri = $"http://127.0.0.1:{port}/callback";
            return listener;
        }
        catch (HttpListenerException) when (attempt < 5)
        {
            listener.Close();
        }
    }
}

static async Task<(string? Code, string? Error)> ReceiveAsync(HttpListener listener, string state, TimeSpan timeout)
{
    var deadline = Task.Delay(timeout);
    while (true)
    {
        var next = listener.GetContextAsync();
        if (await Task.WhenAny(next, deadline) == deadline)
        {
            return (null, "no answer from the browser in time");
        }

        var context = await next;
        if (context.Request.Url?.AbsolutePath != "/callback")
        {
            // A browser asks for /favicon.ico too; only the callback counts.
            context.Response.StatusCode = 404;
            context.Response.Close();
            continue;
        }

        var query = context.Request.QueryString;
        var (code, error) = query["state"] != state ? (null, "the answer is not for this sign-in (state differs)")
            : query["code"] is { Length: > 0 } received ? (received, null)
            : ((string?)null, query["error"] ?? "no code in the answer");
        var page = Encoding.UTF8.GetBytes(code is null
            ? "<!DOCTYPE html><html lang=\"en\"><title>Sign-in failed</title><p>Sign-in failed. You can close this window.</p></html>"
            : "<!DOCTYPE html><html lang=\"en\"><title>Signed in</title><p>Signed in. You can close this window and go back to the terminal.</p></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(page);
        context.Response.Close();
        return (code, error);
    }
}

static int Fail(string reason)
{
    Console.Error.WriteLine(reason);
    return 1;
}
