using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>
/// Login and flow state live in encrypted cookies, not storage rows: a whole authorization costs 5 storage requests
/// once an instance is warm (sign-in: the user read, the guess reserved before the password check and cleared after
/// it; then the client read and the code insert), and any instance can serve any step.
/// </summary>
public sealed class FlowCostTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Whole_authorization_costs_five_storage_requests_when_warm()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("cost-flow-" + Guid.NewGuid().ToString("N")[..8], Password);
        using (var warmUp = new FlowDriver(server))
        {
            await warmUp.Http.GetAsync("/oauth2/login");
        }

        using var flow = new FlowDriver(server);
        server.Counter.Reset();
        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "s"));
        var next = Uri.UnescapeDataString(capture.Headers.Location!.OriginalString["/oauth2/login?next=".Length..]);
        await flow.LoginAsync(user.Username, Password, next);
        await flow.Http.GetAsync(next);
        var consent = await flow.Http.GetAsync("/oauth2/authorize/confirm");
        var location = await flow.ApproveAsync(consent);

        Assert.True(FlowDriver.QueryOf(location).ContainsKey("code"));
        Assert.True(server.Counter.Count == 5, string.Join(Environment.NewLine, server.Counter.Requests));
    }

    [Fact]
    public async Task Any_instance_serves_any_step()
    {
        await using var first = await OAuthTestServer.StartAsync();
        await using var second = await OAuthTestServer.StartAsync(o => o.TablePrefix = first.TablePrefix);
        var client = await first.AddClientAsync();
        var user = await first.AddUserAsync("instances-" + Guid.NewGuid().ToString("N")[..8], Password);

        using var onFirst = new FlowDriver(first);
        await onFirst.LoginAsync(user.Username, Password);
        await onFirst.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"), ("state", "s"));

        // The browser's cookies, presented to another instance of the same app.
        var cookies = new CookieContainer();
        foreach (Cookie cookie in onFirst.Cookies.GetAllCookies())
        {
            cookies.Add(second.BaseAddress, new Cookie(cookie.Name, cookie.Value, cookie.Path));
        }

        using var onSecond = new FlowDriver(second, cookies);
        var consent = await onSecond.Http.GetAsync("/oauth2/authorize/confirm");
        Assert.True(consent.StatusCode == HttpStatusCode.OK, $"{consent.StatusCode} {consent.Headers.Location} {await consent.Content.ReadAsStringAsync()}");
        var location = await onSecond.ApproveAsync(consent);
        Assert.Equal("s", FlowDriver.QueryOf(location)["state"]);
    }
}
