using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>
/// What a relying party does with a JWT from this server, written independently of the server's own code: fetch the
/// JWKS named by the discovery document, pick the key by <c>kid</c>, verify the signature with the key's algorithm.
/// </summary>
internal static class IdTokens
{
    public static async Task<JsonElement> JwksAsync(HttpClient http)
    {
        var discovery = await OAuthAssert.SuccessAsync(await http.GetAsync("/.well-known/openid-configuration"));
        return await OAuthAssert.SuccessAsync(await http.GetAsync(new Uri(discovery.Str("jwks_uri")).PathAndQuery));
    }

    /// <summary>The header and claims of <paramref name="jwt"/>; fails the test unless a key of the JWKS verifies it.</summary>
    public static async Task<(JsonElement Header, JsonElement Claims)> VerifyAsync(HttpClient http, string jwt)
    {
        var jwks = await JwksAsync(http);
        var verified = Verify(jwks, jwt);
        Assert.True(verified is not null, "The JWT does not verify with any key of the JWKS.");
        return verified!.Value;
    }

    public static (JsonElement Header, JsonElement Claims)? Verify(JsonElement jwks, string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        var header = Json(parts[0]);
        var kid = header.Str("kid");
        var key = jwks.GetProperty("keys").EnumerateArray().FirstOrDefault(k => k.Str("kid") == kid);
        if (key.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var ok = header.Str("alg") switch
        {
            "RS256" when key.Str("kty") == "RSA" => VerifyRsa(key, data, signature),
            "ES256" when key.Str("kty") == "EC" => VerifyEc(key, data, signature),
            _ => false,
        };
        return ok ? (header, Json(parts[1])) : null;
    }

    public static JsonElement Json(string part)
    {
        using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(part));
        return document.RootElement.Clone();
    }

    /// <summary>OpenID Connect Core §3.1.3.6: base64url of the left half of SHA-256 of the access token.</summary>
    public static string AtHash(string accessToken)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        return Base64Url.EncodeToString(hash.AsSpan(0, 16));
    }

    /// <summary>Signs in, runs the authorization and returns the query the client receives.</summary>
    public static async Task<Dictionary<string, string>> AuthorizeAsync(FlowDriver flow, TestClient client, string username, string password, params (string Name, string Value)[] extra)
    {
        var login = await flow.LoginAsync(username, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var parameters = new List<(string, string)> { ("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", client.RedirectUri), ("state", "st") };
        parameters.AddRange(extra);
        var consent = await flow.StartAsync([.. parameters]);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        return FlowDriver.QueryOf(await flow.ApproveAsync(consent));
    }

    /// <summary>The token response for a code, as a confidential client redeems it.</summary>
    public static async Task<JsonElement> RedeemAsync(OAuthTestServer server, TestClient client, string code)
    {
        using var http = server.CreateClient();
        return await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
    }

    private static bool VerifyRsa(JsonElement key, byte[] data, byte[] signature)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(key.Str("n")), Exponent = Base64Url.DecodeFromChars(key.Str("e")) });
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static bool VerifyEc(JsonElement key, byte[] data, byte[] signature)
    {
        using var ec = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(key.Str("x")), Y = Base64Url.DecodeFromChars(key.Str("y")) },
        });
        return ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
