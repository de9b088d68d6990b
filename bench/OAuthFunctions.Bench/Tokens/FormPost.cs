using System.Net;
using System.Net.Http.Headers;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Tokens;

/// <summary>The requests a client sends: form posts, with client credentials in the body or as HTTP Basic.</summary>
internal static class FormPost
{
    /// <summary>POSTs the form; true when the answer is 200 and its body contains <paramref name="expect"/> (if given).</summary>
    public static async Task<bool> SendAsync(HttpClient http, string path, AuthenticationHeaderValue? authorization, string? expect, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK && (expect is null || body.Contains(expect, StringComparison.Ordinal));
    }

    /// <summary>A token request with client_id and client_secret in the body.</summary>
    public static Task<bool> TokenAsync(HttpClient http, TestClient client, params (string Name, string Value)[] fields) =>
        SendAsync(http, "/oauth2/access_token", authorization: null, "\"access_token\"", [("client_id", client.ClientId), ("client_secret", client.Secret!), .. fields]);

    /// <summary>An introspection or revocation request authenticated with HTTP Basic (RFC 6749 §2.3.1).</summary>
    public static Task<bool> BasicAsync(HttpClient http, string path, TestClient client, string? expect, params (string Name, string Value)[] fields) =>
        SendAsync(http, path, OAuthTestServer.Basic(client.ClientId, client.Secret!), expect, fields);
}
