using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>Token introspection (RFC 7662).</summary>
public sealed class IntrospectionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Active_access_token_is_described()
    {
        var client = await _server.AddClientAsync();
        var resourceServer = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("introspect-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "correct horse"), ("scope", "read write")));

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", resourceServer, ("token", token.Str("access_token"))));

        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal("read write", answer.Str("scope"));
        Assert.Equal(client.ClientId, answer.Str("client_id"));
        Assert.Equal(user.Username, answer.Str("username"));
        Assert.Equal(user.UserId, answer.Str("sub"));
        Assert.Equal("Bearer", answer.Str("token_type"));
        var iat = answer.GetProperty("iat").GetInt64();
        Assert.Equal(iat + token.GetProperty("expires_in").GetInt64(), answer.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Client_credentials_token_has_the_client_as_subject_and_no_username()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token.Str("access_token"))));
        Assert.Equal(client.ClientId, answer.Str("sub"));
        Assert.False(answer.TryGetProperty("username", out _));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a00000000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a39999999AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Unknown_token_is_only_active_false(string token)
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token));
        var answer = await OAuthAssert.SuccessAsync(response);
        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
        Assert.False(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Live_refresh_token_is_active_and_rotated_one_is_not()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("introspect-rt-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        using var http = _server.CreateClient();
        var first = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "correct horse")));
        var live = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", first.Str("refresh_token"))));
        Assert.True(live.GetProperty("active").GetBoolean());

        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token"))));
        var rotated = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", first.Str("refresh_token"))));
        Assert.False(rotated.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Public_client_cannot_introspect()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.PostFormAsync("/oauth2/introspect", ("client_id", client.ClientId), ("token", "x")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Unauthenticated_caller_is_invalid_client()
    {
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.PostFormAsync("/oauth2/introspect", ("token", "x")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Missing_token_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client), HttpStatusCode.BadRequest, "invalid_request");
    }
}
