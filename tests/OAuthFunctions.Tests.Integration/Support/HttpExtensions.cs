using System.Net.Http.Headers;
using System.Text.Json;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

internal static class HttpExtensions
{
    /// <summary>POSTs an application/x-www-form-urlencoded body; pairs may repeat a name.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostFormAsync(path, authorization: null, fields);

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, AuthenticationHeaderValue? authorization, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    /// <summary>A token request authenticated with client_id and client_secret in the body.</summary>
    public static Task<HttpResponseMessage> TokenAsync(this HttpClient client, TestClient oauthClient, params (string Name, string Value)[] fields)
    {
        var credentials = oauthClient.Secret is null
            ? new[] { ("client_id", oauthClient.ClientId) }
            : new[] { ("client_id", oauthClient.ClientId), ("client_secret", oauthClient.Secret) };
        return client.PostFormAsync("/oauth2/access_token", [.. credentials, .. fields]);
    }

    /// <summary>A request to revoke or introspect, authenticated with HTTP Basic (or client_id for public clients).</summary>
    public static Task<HttpResponseMessage> AuthenticatedPostAsync(this HttpClient client, string path, TestClient oauthClient, params (string Name, string Value)[] fields) =>
        oauthClient.Secret is null
            ? client.PostFormAsync(path, [("client_id", oauthClient.ClientId), .. fields])
            : client.PostFormAsync(path, OAuthTestServer.Basic(oauthClient.ClientId, oauthClient.Secret), fields);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static string Str(this JsonElement json, string name) => json.GetProperty(name).GetString()!;
}
