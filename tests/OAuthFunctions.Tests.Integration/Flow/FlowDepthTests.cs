using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>
/// Storage round trips one after another in each request of a whole authorization on a warm instance
/// (docs/PERFORMANCE.md, "Sequential depth"), every storage request held for 40 ms (<see cref="StorageDepthMeter"/>).
/// Every step waits for at most one, except the sign-in, which waits for three: the user read, the guess reservation
/// (conditional on what was read) and, after the password check, its settlement (conditional on the reservation). Each
/// depends on the one before, so they cannot overlap (docs/ARCHITECTURE.md, "Brute force").
/// </summary>
public sealed class FlowDepthTests(ITestOutputHelper output)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Each_step_of_an_authorization_waits_for_at_most_one_round_trip_and_the_sign_in_for_three()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.StorageDelay = TimeSpan.FromMilliseconds(40));
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("depth-flow-" + Guid.NewGuid().ToString("N")[..8], Password);
        using (var warmUp = new FlowDriver(server))
        {
            await warmUp.Http.GetAsync("/oauth2/login");
        }

        using var flow = new FlowDriver(server);
        var depths = new List<(string Step, int Depth)>();
        async Task<HttpResponseMessage> Step(string name, Func<Task<HttpResponseMessage>> send)
        {
            server.Depth.Reset();
            var response = await send();
            depths.Add((name, server.Depth.Depth));
            output.WriteLine($"{name}: {(int)response.StatusCode}, depth {server.Depth.Depth}{Environment.NewLine}{server.Depth.Describe()}");
            return response;
        }

        var capture = await Step("capture", () => flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "s")));
        var next = Uri.UnescapeDataString(capture.Headers.Location!.OriginalString["/oauth2/login?next=".Length..]);
        var form = await Step("login page", () => flow.Http.GetAsync("/oauth2/login?next=" + Uri.EscapeDataString(next)));
        var csrf = FlowDriver.Csrf(await form.Content.ReadAsStringAsync());
        var signedIn = await Step("sign-in", () => flow.Http.PostFormAsync("/oauth2/login", ("csrf_token", csrf), ("username", user.Username), ("password", Password), ("next", next)));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        await Step("authorize after sign-in", () => flow.Http.GetAsync(next));
        var consent = await Step("consent page", () => flow.Http.GetAsync("/oauth2/authorize/confirm"));
        var decided = await Step("approve", () => flow.DecideAsync(consent, approve: true));
        Assert.Equal(HttpStatusCode.SeeOther, decided.StatusCode);
        var delivered = await Step("redirect", () => flow.Http.GetAsync("/oauth2/redirect"));

        Assert.True(FlowDriver.QueryOf(delivered.Headers.Location!).ContainsKey("code"));
        Assert.Equal(3, depths.Single(d => d.Step == "sign-in").Depth);
        Assert.All(depths.Where(d => d.Step != "sign-in"), d => Assert.True(d.Depth <= 1, $"{d.Step}: depth {d.Depth}"));
    }
}
