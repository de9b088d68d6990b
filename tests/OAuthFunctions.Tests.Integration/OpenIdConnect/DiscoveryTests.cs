using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>OpenID Connect Discovery 1.0 and the JWKS (docs/BEHAVIOUR.md §11).</summary>
public sealed class DiscoveryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Openid_configuration_has_the_rfc8414_issuer_and_the_openid_fields()
    {
        using var http = _server.CreateClient();
        var oauth = await OAuthAssert.SuccessAsync(await http.GetAsync("/.well-known/oauth-authorization-server"));
        var openid = await OAuthAssert.SuccessAsync(await http.GetAsync("/.well-known/openid-configuration"));
        var issuer = openid.Str("issuer");

        // Discovery §4.3: the issuer MUST be identical to the one the configuration was fetched for, and to RFC 8414's.
        Assert.Equal(oauth.Str("issuer"), issuer);
        Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority), issuer);
        Assert.Equal(issuer + "/.well-known/jwks.json", openid.Str("jwks_uri"));
        Assert.Equal(issuer + "/oauth2/userinfo", openid.Str("userinfo_endpoint"));
        Assert.Equal(issuer + "/oauth2/end_session", openid.Str("end_session_endpoint"));
        Assert.Contains("RS256", Strings(openid, "id_token_signing_alg_values_supported"));
        Assert.Equal(["public"], Strings(openid, "subject_types_supported"));
        Assert.Contains("code", Strings(openid, "response_types_supported"));
        Assert.Superset(new HashSet<string> { "openid", "profile", "email" }, Strings(openid, "scopes_supported").ToHashSet());
        Assert.Superset(new HashSet<string> { "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email", "email_verified" }, Strings(openid, "claims_supported").ToHashSet());

        // §3: request_uri_parameter_supported defaults to true; this server must say false.
        Assert.False(openid.GetProperty("request_uri_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task Jwks_publishes_rsa_public_keys_only()
    {
        using var http = _server.CreateClient();
        var jwks = await IdTokens.JwksAsync(http);
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.Str("kty"));
        Assert.Equal("RS256", key.Str("alg"));
        Assert.Equal("sig", key.Str("use"));
        Assert.False(string.IsNullOrEmpty(key.Str("kid")));
        Assert.Equal(256, Base64Url.DecodeFromChars(key.Str("n")).Length);

        // RFC 7517 §9.2: no private member (d, p, q, dp, dq, qi) may reach the JWKS.
        foreach (var member in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            Assert.False(key.TryGetProperty(member, out _), member);
        }
    }

    [Fact]
    public async Task Signing_keys_are_stored_only_as_data_protection_ciphertext()
    {
        using var http = _server.CreateClient();
        await IdTokens.JwksAsync(http);
        var row = (await _server.Tables.Keys.GetEntityAsync<TableEntity>("signing", "ring")).Value;
        var json = row.GetString("Keys");
        using var ring = JsonDocument.Parse(json);
        var stored = Assert.Single(ring.RootElement.EnumerateArray());
        var bytes = Base64Url.DecodeFromChars(stored.Str("private"));

        // The stored bytes are not a private key: PKCS#8 parsing fails, and nothing else of the row names one.
        using var rsa = RSA.Create();
        Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(bytes, out _));
        Assert.DoesNotContain("PRIVATE KEY", json, StringComparison.Ordinal);
        Assert.False(stored.TryGetProperty("d", out _));
    }

    private static string[] Strings(JsonElement json, string name) =>
        [.. json.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
