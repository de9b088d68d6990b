using System.Net;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// The local host answers clients directly, so by default (<c>OAuth__ForwardedHops</c> = 0) no X-Forwarded-* header
/// is anyone's word: the address, scheme and host are the connection's.
/// </summary>
public sealed class UntrustedForwardingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery staple";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task X_Forwarded_For_from_an_untrusted_hop_does_not_escape_the_address_throttle()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var user = await server.AddUserAsync("xff-" + Guid.NewGuid().ToString("N")[..8], Password);

        // Each guess claims another address; all of them come from this one connection.
        await Task.WhenAll(Enumerable.Range(0, LoginThrottle.MaxFailures).Select(async i =>
        {
            using var guess = new FlowDriver(server);
            guess.Http.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            await guess.LoginAsync("nobody-" + i, "wrong password");
        }));

        using var flow = new FlowDriver(server);
        flow.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.200");
        var blocked = await flow.LoginAsync(user.Username, Password);
        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
    }

    [Fact]
    public async Task X_Forwarded_Host_from_an_untrusted_hop_does_not_move_the_issuer()
    {
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var metadata = await OAuthAssert.SuccessAsync(await http.SendAsync(request));

        Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority), metadata.Str("issuer"));
    }
}
