using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>The client_credentials grant (RFC 6749 §4.4).</summary>
public sealed class ClientCredentialsGrantTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Confidential_client_gets_an_access_token_and_no_refresh_token()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        Assert.False(token.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task Absent_scope_means_the_first_defined_scope()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        Assert.Equal("read", token.Str("scope"));
    }

    [Fact]
    public async Task Requested_scope_is_used_exactly()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials"), ("scope", "write")));
        Assert.Equal("write", token.Str("scope"));
    }

    [Fact]
    public async Task Unknown_scope_is_invalid_scope()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials"), ("scope", "read admin")), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Scope_beyond_what_the_client_may_ask_is_invalid_scope()
    {
        var client = await _server.AddClientAsync(scopes: "read");
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials"), ("scope", "write")), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Public_client_is_unauthorized_client()
    {
        var client = await _server.AddClientAsync(ClientType.Public, grantTypes: [GrantTypes.ClientCredentials]);
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")), HttpStatusCode.BadRequest, "unauthorized_client");
    }
}
