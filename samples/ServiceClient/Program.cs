using System.Net.Http.Json;
using Duende.IdentityModel.Client;

// A service calling an API as itself (RFC 6749 §4.4, client_credentials): discover the server (RFC 8414), get a token
// with the service's own id and secret, call the API with it (RFC 6750 §2.1). Settings from the environment:
//   OAUTH_AUTHORITY      the server's issuer, e.g. https://login.example.com
//   OAUTH_CLIENT_ID      this service's client id (a confidential client)
//   OAUTH_CLIENT_SECRET  its secret
//   NOTES_API            the API to call, e.g. https://notes.example.com
// Exit code 0 when the API answered 2xx; otherwise 1 with the reason on stderr.
string[] names = ["OAUTH_AUTHORITY", "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET", "NOTES_API"];
if (names.FirstOrDefault(name => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) is { } missing)
{
    return Fail($"Set {missing}.");
}

var authority = Environment.GetEnvironmentVariable("OAUTH_AUTHORITY")!;
var clientId = Environment.GetEnvironmentVariable("OAUTH_CLIENT_ID")!;
var clientSecret = Environment.GetEnvironmentVariable("OAUTH_CLIENT_SECRET")!;
if (!Uri.TryCreate(Environment.GetEnvironmentVariable("NOTES_API"), UriKind.Absolute, out var api))
{
    return Fail("NOTES_API must be an absolute URL.");
}

using var http = new HttpClient();

// The server publishes RFC 8414 metadata (not OpenID Connect's), and signs nothing, so there is no key set to fetch.
// Plain http is for a server on this machine only.
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

var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
{
    Address = discovery.TokenEndpoint,
    ClientId = clientId,
    ClientSecret = clientSecret,
    Scope = "read write",
});
if (token.IsError)
{
    // A 401 invalid_client is an HTTP error to IdentityModel; the OAuth error code is in the body (RFC 6749 §5.2).
    return Fail($"token request failed: {token.TryGet("error") ?? token.Error}");
}

Console.WriteLine($"token: {token.TokenType}, scope \"{token.Scope}\", expires in {token.ExpiresIn} s");

// Reuse the token until it expires; ask for a new one then (client_credentials gives no refresh token).
http.SetBearerToken(token.AccessToken!);
using var created = await http.PostAsJsonAsync(new Uri(api, "/notes"), new { text = "written by the service client" });
using var listed = await http.GetAsync(new Uri(api, "/notes"));
Console.WriteLine($"POST /notes: {(int)created.StatusCode}");
Console.WriteLine($"GET /notes: {(int)listed.StatusCode} {await listed.Content.ReadAsStringAsync()}");
return created.IsSuccessStatusCode && listed.IsSuccessStatusCode ? 0 : Fail("the API refused the token");

static int Fail(string reason)
{
    Console.Error.WriteLine(reason);
    return 1;
}
