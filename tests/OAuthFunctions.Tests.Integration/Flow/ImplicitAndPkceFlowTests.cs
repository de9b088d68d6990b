using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>The implicit flow when enabled (RFC 6749 §4.2) and PKCE for public clients (RFC 7636).</summary>
public sealed class ImplicitAndPkceFlowTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ResponseTypes", "code,token"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("read", "read")]
    [InlineData("write", "write")]
    [InlineData("read write", "read write")]
    public async Task Implicit_flow_delivers_an_access_token_in_the_fragment(string requested, string granted)
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        using var flow = await SignedInAsync();
        var consent = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "token"), ("scope", requested), ("state", "abc"));
        var location = await flow.ApproveAsync(consent);
        Assert.Empty(location.Query);
        var fragment = FlowDriver.FragmentOf(location);
        Assert.Equal(granted, fragment["scope"]);
        Assert.Equal("Bearer", fragment["token_type"]);
        Assert.Equal("abc", fragment["state"]);
        Assert.Equal(30 * 24 * 3600, long.Parse(fragment["expires_in"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(fragment.ContainsKey("refresh_token"));
        Assert.True(TokenHandle.TryParse(fragment["access_token"], TokenKind.AccessToken, out _));
    }

    [Fact]
    public async Task Implicit_errors_go_back_in_the_fragment()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        using var flow = await SignedInAsync();
        var response = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "token"), ("scope", "invalid"), ("state", "s"));
        var fragment = FlowDriver.FragmentOf(response.Headers.Location!);
        Assert.Equal("invalid_scope", fragment["error"]);
        Assert.Equal("s", fragment["state"]);
    }

    [Fact]
    public async Task Public_client_code_flow_with_pkce_needs_the_verifier_at_the_token_endpoint()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        using var flow = await SignedInAsync();
        var consent = await flow.StartAsync(
            ("client_id", client.ClientId),
            ("response_type", "code"),
            ("redirect_uri", client.RedirectUri),
            ("code_challenge", Pkce.ChallengeOf(Verifier)),
            ("code_challenge_method", "S256"));
        var code = FlowDriver.QueryOf(await flow.ApproveAsync(consent))["code"];

        var without = await flow.Http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        await OAuthAssert.ErrorAsync(without, HttpStatusCode.BadRequest, "invalid_grant");
        var with = await flow.Http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri), ("code_verifier", Verifier));
        await OAuthAssert.SuccessAsync(with);
    }

    private async Task<FlowDriver> SignedInAsync()
    {
        var user = await _server.AddUserAsync("implicit-" + Guid.NewGuid().ToString("N")[..8], Password);
        var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        return flow;
    }
}
