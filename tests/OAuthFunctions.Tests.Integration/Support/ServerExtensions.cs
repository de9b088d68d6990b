using System.Text.Json;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

internal static class ServerExtensions
{
    public const string Password = "correct horse";

    /// <summary>A new confidential client and user, and the token pair the password grant gives them.</summary>
    public static async Task<(TestClient Client, JsonElement Tokens)> PasswordTokensAsync(this OAuthTestServer server)
    {
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("user-" + Guid.NewGuid().ToString("N")[..12], Password);
        using var http = server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", Password)));
        return (client, tokens);
    }
}
