using System.Net;
using System.Text.Json;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>The client's back channel: redeems a code at <c>/oauth2/access_token</c> (RFC 6749 §4.1.3) outside the browser.</summary>
internal static class TokenExchange
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(OAuthTestServer server, TestClient client, string code, string? codeVerifier = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = client.RedirectUri,
            ["client_id"] = client.ClientId,
        };
        if (client.Secret is not null)
        {
            fields["client_secret"] = client.Secret;
        }

        if (codeVerifier is not null)
        {
            fields["code_verifier"] = codeVerifier;
        }

        using var http = server.CreateClient();
        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri("/oauth2/access_token", UriKind.Relative), content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
