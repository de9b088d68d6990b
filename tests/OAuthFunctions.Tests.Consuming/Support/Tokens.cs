using System.Net.Http.Json;
using System.Text.Json;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>Clients, users and tokens from the local host, the way an app gets them: over HTTP.</summary>
internal static class Tokens
{
    public const string Password = "correct horse battery";

    /// <summary>A confidential client for an API to introspect with.</summary>
    public static Task<TestClient> ApiClientAsync(this OAuthTestServer server) =>
        server.AddClientAsync(ClientType.Confidential, grantTypes: [GrantTypes.ClientCredentials], name: "Notes API");

    /// <summary>A new user and the token pair the password grant gives a new confidential client for them.</summary>
    public static async Task<(string AccessToken, string RefreshToken, string Username)> UserTokensAsync(this OAuthTestServer server, string scope)
    {
        var client = await server.AddClientAsync();
        var username = "person-" + Guid.NewGuid().ToString("N")[..10];
        await server.AddUserAsync(username, Password);
        var json = await TokenAsync(server, client, ("grant_type", "password"), ("username", username), ("password", Password), ("scope", scope));
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!, username);
    }

    /// <summary>A client_credentials token of a new confidential client.</summary>
    public static async Task<(string AccessToken, string ClientId)> ServiceTokenAsync(this OAuthTestServer server, string scope)
    {
        var client = await server.AddClientAsync();
        var json = await TokenAsync(server, client, ("grant_type", "client_credentials"), ("scope", scope));
        return (json.GetProperty("access_token").GetString()!, client.ClientId);
    }

    public static async Task RevokeAsync(this OAuthTestServer server, TestClient client, string token)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/revoke") { Content = new FormUrlEncodedContent([new("token", token)]) };
        request.Headers.Authorization = OAuthTestServer.Basic(client.ClientId, client.Secret!);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> TokenAsync(OAuthTestServer server, TestClient client, params (string Name, string Value)[] fields)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/access_token")
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Authorization = OAuthTestServer.Basic(client.ClientId, client.Secret!);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
