using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>Token revocation (RFC 7009).</summary>
public sealed class RevocationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Revoked_access_token_is_no_longer_active()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        var response = await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", token.Str("access_token")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        OAuthAssert.NoStore(response);
        Assert.False(await ActiveAsync(http, client, token.Str("access_token")));
    }

    [Fact]
    public async Task Unknown_token_is_answered_200()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", "no-such-token"), ("token_type_hint", "access_token"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_refresh_token_revokes_its_access_token()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        var response = await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("refresh_token")), ("token_type_hint", "refresh_token"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await ActiveAsync(http, client, tokens.Str("access_token")));
        var refresh = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        await OAuthAssert.ErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Wrong_token_type_hint_is_ignored()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("access_token")), ("token_type_hint", "refresh_token"));
        Assert.False(await ActiveAsync(http, client, tokens.Str("access_token")));
    }

    [Fact]
    public async Task Client_cannot_revoke_another_clients_token()
    {
        var owner = await _server.AddClientAsync();
        var intruder = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(owner, ("grant_type", "client_credentials")));
        var response = await http.AuthenticatedPostAsync("/oauth2/revoke", intruder, ("token", token.Str("access_token")));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
        Assert.True(await ActiveAsync(http, owner, token.Str("access_token")));
    }

    [Fact]
    public async Task Revocation_requires_client_authentication()
    {
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/revoke", ("token", "anything"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Missing_token_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.AuthenticatedPostAsync("/oauth2/revoke", client), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Public_client_revokes_its_own_token_with_client_id_only()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        var user = await _server.AddUserAsync("revoke-pub-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "correct horse")));
        var response = await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", token.Str("access_token")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await ActiveAsync(http, await _server.AddClientAsync(), token.Str("access_token")));
    }

    [Fact]
    public async Task Get_is_invalid_request_only_post_allowed()
    {
        using var http = _server.CreateClient();
        var response = await http.GetAsync("/oauth2/revoke");
        var error = await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("Only POST requests allowed.", error.Str("error_description"));
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    private static async Task<bool> ActiveAsync(HttpClient http, TestClient introspector, string token) =>
        (await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", token)))).GetProperty("active").GetBoolean();
}
