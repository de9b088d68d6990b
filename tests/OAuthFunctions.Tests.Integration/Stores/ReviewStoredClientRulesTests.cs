using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Stores;

/// <summary>
/// A reviewer's check that a stored client row that breaks a never-acceptable rule (edited in storage to be trusted
/// and public, or to hold a data: or javascript: URI in any case, first or last) is refused at every endpoint that reads
/// clients: token, authorize, introspect and revoke, with the usual error shape and never a redirect.
/// </summary>
public sealed class ReviewStoredClientRulesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery staple";
    private readonly OAuthTestServer _server = fixture.Server;

    public static TheoryData<string[]> BadUris =>
    [
        ["DaTa:text/html,<script>alert(1)</script>"],
        ["https://client.example/cb", "JavaScript:alert(document.cookie)"],
        ["https://client.example/cb", "VBSCRIPT:msgbox(1)"],
        ["file:///etc/passwd"],
    ];

    [Theory]
    [MemberData(nameof(BadUris))]
    public async Task A_confidential_row_with_a_browser_scheme_uri_authenticates_nowhere(string[] uris)
    {
        var client = await _server.AddClientAsync(redirectUris: uris);
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")), HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthAssert.ErrorAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", "x")), HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthAssert.ErrorAsync(await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", "x")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [MemberData(nameof(BadUris))]
    public async Task The_authorization_page_never_redirects_to_a_refused_rows_uri(string[] uris)
    {
        var client = await _server.AddClientAsync(redirectUris: uris);
        var user = await _server.AddUserAsync("bad-uri-" + Guid.NewGuid().ToString("N")[..8], Password);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);

        var page = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", uris[^1]), ("state", "s"));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Null(page.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(AuthorizationRequestValidator.UnauthorizedClientMessage, html, StringComparison.Ordinal);
        OAuthAssert.NoLeak(html);
    }

    [Fact]
    public async Task A_public_trusted_row_can_neither_revoke_nor_refresh()
    {
        var client = await _server.AddClientAsync(ClientType.Public, redirectUris: ["com.example.app:/cb"], trusted: true);
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", "x")), HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", "f" + new string('a', 72))), HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", "c" + new string('a', 51)), ("redirect_uri", "com.example.app:/cb")), HttpStatusCode.Unauthorized, "invalid_client");
    }
}
