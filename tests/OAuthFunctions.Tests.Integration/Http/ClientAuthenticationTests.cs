using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>Client authentication at the token endpoint (RFC 6749 §2.3, §5.2).</summary>
public sealed class ClientAuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Unknown_client_is_invalid_client_with_401()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", ("grant_type", "authorization_code"), ("client_id", client.ClientId + "123"), ("client_secret", client.Secret!));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        OAuthAssert.NoWwwAuthenticate(response);
    }

    [Fact]
    public async Task Wrong_secret_in_basic_is_invalid_client_with_basic_challenge()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", OAuthTestServer.Basic(client.ClientId, "wrong"), ("grant_type", "client_credentials"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        OAuthAssert.BasicChallenge(response);
    }

    [Fact]
    public async Task Basic_credentials_authenticate()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", OAuthTestServer.Basic(client.ClientId, client.Secret!), ("grant_type", "client_credentials"));
        await OAuthAssert.SuccessAsync(response);
    }

    [Fact]
    public async Task Basic_credentials_are_form_urlencoded_before_base64()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        // RFC 6749 §2.3.1: id and secret are encoded with application/x-www-form-urlencoded first.
        var encodedId = string.Concat(client.ClientId.Select(c => c == '-' ? "%2D" : c.ToString()));
        var header = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(encodedId + ":" + client.Secret)));
        var response = await http.PostFormAsync("/oauth2/access_token", header, ("grant_type", "client_credentials"));
        await OAuthAssert.SuccessAsync(response);
    }

    [Fact]
    public async Task Malformed_basic_header_is_invalid_client_with_challenge()
    {
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", new AuthenticationHeaderValue("Basic", "not base64!"), ("grant_type", "client_credentials"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        OAuthAssert.BasicChallenge(response);
    }

    [Fact]
    public async Task Basic_and_body_secret_together_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync(
            "/oauth2/access_token",
            OAuthTestServer.Basic(client.ClientId, client.Secret!),
            ("grant_type", "client_credentials"),
            ("client_id", client.ClientId),
            ("client_secret", client.Secret!));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Body_credentials_failure_has_no_challenge_header()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", ("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", "wrong"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        OAuthAssert.NoWwwAuthenticate(response);
    }

    [Fact]
    public async Task Confidential_client_without_secret_is_invalid_client()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", ("grant_type", "client_credentials"), ("client_id", client.ClientId));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Public_client_presenting_a_secret_is_invalid_client()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        var user = await _server.AddUserAsync("pub-secret-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync(
            "/oauth2/access_token",
            ("grant_type", "password"),
            ("client_id", client.ClientId),
            ("client_secret", "made-up"),
            ("username", user.Username),
            ("password", "correct horse"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Grant_type_the_client_may_not_use_is_unauthorized_client()
    {
        var client = await _server.AddClientAsync(grantTypes: [GrantTypes.AuthorizationCode]);
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "client_credentials"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Client_id_with_characters_storage_forbids_is_invalid_client_not_a_fault()
    {
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", ("grant_type", "client_credentials"), ("client_id", "a/b?c#d"), ("client_secret", "x"));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }
}
