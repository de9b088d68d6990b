using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Flow;

/// <summary>
/// A login session outlives nothing it should not: a user disabled, or removed and added again under the same name,
/// gets no new code from a session that is still valid (no cache here, so the check reads the row).
/// </summary>
public sealed class RevokedAccessTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Disabled_user_with_a_live_session_gets_no_code()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("disabled-later-" + Guid.NewGuid().ToString("N")[..8], Password);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        var consent = await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"));

        await _server.Services.GetRequiredService<UserAccounts>().SetDisabledAsync(user.Username, true, CancellationToken.None);
        var decided = await flow.DecideAsync(consent, approve: true);

        Assert.StartsWith("/oauth2/login", decided.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(flow.Cookies.GetAllCookies(), cookie => cookie.Name == "oauth_session" && !cookie.Expired && cookie.Value.Length > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await flow.Http.GetAsync("/oauth2/redirect")).StatusCode);
    }

    [Fact]
    public async Task Session_of_a_removed_user_does_not_work_for_a_new_user_of_the_same_name()
    {
        var client = await _server.AddClientAsync(trusted: true);
        var name = "reused-" + Guid.NewGuid().ToString("N")[..8];
        await _server.AddUserAsync(name, Password);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(name, Password);

        var users = _server.Services.GetRequiredService<IUserStore>();
        await users.RemoveAsync(name, CancellationToken.None);
        await _server.AddUserAsync(name, "someone else entirely");

        // The sign-in belonged to the removed user: capture sends the browser to sign in again.
        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
