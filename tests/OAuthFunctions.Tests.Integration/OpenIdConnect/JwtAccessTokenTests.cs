using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>RFC 9068 JWT access tokens, per client, still recorded by hash (docs/BEHAVIOUR.md §11).</summary>
public sealed class JwtAccessTokenTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Audience = "https://api.example";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task A_jwt_client_gets_an_at_jwt_signed_with_a_published_key()
    {
        var client = await _server.AddClientAsync(accessTokenFormat: AccessTokenFormat.Jwt, accessTokenAudience: Audience);
        using var http = _server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials"), ("scope", "read")));
        var (header, claims) = await IdTokens.VerifyAsync(http, tokens.Str("access_token"));

        // RFC 9068 §2.1 typ; §2.2 iss, exp, aud, sub, client_id, iat, jti, scope.
        Assert.Equal("at+jwt", header.Str("typ"));
        Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority), claims.Str("iss"));
        Assert.Equal(Audience, claims.Str("aud"));
        Assert.Equal(client.ClientId, claims.Str("sub"));
        Assert.Equal(client.ClientId, claims.Str("client_id"));
        Assert.Equal("read", claims.Str("scope"));
        Assert.False(string.IsNullOrEmpty(claims.Str("jti")));

        // Short-lived, from OAuth__JwtAccessTokenLifetime (10 minutes by default).
        Assert.Equal(600, tokens.GetProperty("expires_in").GetInt64());
        Assert.Equal(claims.GetProperty("iat").GetInt64() + 600, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task A_jwt_access_token_is_introspected_and_revoked_like_an_opaque_one()
    {
        var client = await _server.AddClientAsync(accessTokenFormat: AccessTokenFormat.Jwt, accessTokenAudience: Audience);
        using var http = _server.CreateClient();
        var token = (await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")))).Str("access_token");

        var active = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.Equal(client.ClientId, active.Str("client_id"));

        Assert.Equal(HttpStatusCode.OK, (await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", token))).StatusCode);
        var revoked = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.False(revoked.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_forged_jwt_naming_a_real_row_is_inactive()
    {
        var client = await _server.AddClientAsync(accessTokenFormat: AccessTokenFormat.Jwt, accessTokenAudience: Audience);
        using var http = _server.CreateClient();
        var token = (await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")))).Str("access_token");

        // The jti is not a secret (resource servers log it): a JWT re-signed by anyone else must not stand for the row.
        var parts = token.Split('.');
        using var rsa = RSA.Create(2048);
        var forged = parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var unsigned = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}"u8) + "." + parts[1] + ".";

        foreach (var fake in new[] { forged, unsigned })
        {
            var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", fake)));
            Assert.False(answer.GetProperty("active").GetBoolean());
        }
    }

    [Fact]
    public async Task A_jwt_access_token_reads_userinfo_and_its_at_hash_matches()
    {
        var client = await _server.AddClientAsync(accessTokenFormat: AccessTokenFormat.Jwt, accessTokenAudience: Audience);
        var user = await _server.AddUserAsync("jwt-" + Guid.NewGuid().ToString("N")[..10], "correct horse battery");
        using var flow = new FlowDriver(_server);
        var callback = await IdTokens.AuthorizeAsync(flow, client, user.Username, "correct horse battery", ("scope", "openid"));
        var tokens = await IdTokens.RedeemAsync(_server, client, callback["code"]);
        var (_, idToken) = await IdTokens.VerifyAsync(flow.Http, tokens.Str("id_token"));
        Assert.Equal(IdTokens.AtHash(tokens.Str("access_token")), idToken.Str("at_hash"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Str("access_token"));
        var info = await OAuthAssert.SuccessAsync(await flow.Http.SendAsync(request));
        Assert.Equal(user.UserId, info.Str("sub"));
    }

    [Fact]
    public async Task Opaque_stays_the_default()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = (await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")))).Str("access_token");
        Assert.DoesNotContain('.', token);
        Assert.StartsWith("a", token, StringComparison.Ordinal);
    }
}
