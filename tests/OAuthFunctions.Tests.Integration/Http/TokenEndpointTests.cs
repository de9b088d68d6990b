using System.Net;
using System.Text;
using System.Text.Json;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>The token endpoint's request shape and check order (RFC 6749 §3.2, §5.2; docs/BEHAVIOUR.md §6).</summary>
public sealed class TokenEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthFunctions.Testing.OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Get_is_invalid_request_only_post_allowed()
    {
        using var http = _server.CreateClient();
        var response = await http.GetAsync("/oauth2/access_token?grant_type=client_credentials");
        var error = await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("Only POST requests allowed.", error.Str("error_description"));
    }

    [Fact]
    public async Task Body_that_is_not_form_urlencoded_is_invalid_request()
    {
        using var http = _server.CreateClient();
        using var content = new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json");
        var response = await http.PostAsync("/oauth2/access_token", content);
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Parameter_sent_twice_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "client_credentials"), ("scope", "read"), ("scope", "write"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Missing_grant_type_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("scope", "read"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Unknown_grant_type_is_unsupported_grant_type()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "invalid_grant_type"), ("code", "123"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Grant_type_is_checked_before_client_authentication()
    {
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", ("grant_type", "invalid_grant_type"), ("client_id", "nobody"), ("client_secret", "x"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Trailing_slash_is_accepted()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token/", ("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", client.Secret!));
        await OAuthAssert.SuccessAsync(response);
    }

    [Fact]
    public async Task Success_is_json_with_bearer_token_type_and_no_store()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        Assert.Equal("Bearer", token.Str("token_type"));
        Assert.True(token.Str("access_token").Length >= 43);
        Assert.Equal(JsonValueKind.Number, token.GetProperty("expires_in").ValueKind);
    }
}
