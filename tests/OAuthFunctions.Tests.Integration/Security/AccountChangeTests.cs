using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// A taken-over account is recovered by changing its password: every open sign-in ends, old refresh and access
/// tokens stop working, and only the new password signs in. A disabled or removed user's refresh token is refused.
/// The server runs without its per-instance user cache here, as every instance is once the cache lifetime has passed.
/// </summary>
public sealed class AccountChangeTests : IAsyncLifetime
{
    private const string OldPassword = "correct horse battery";
    private const string NewPassword = "staple tortoise lantern";

    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_password_change_sends_an_open_sign_in_back_to_the_login_page()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), OldPassword);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, OldPassword);
        await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"));

        Assert.Equal(0, (await CliAsync(NewPassword, "users", "set-password", user.Username, "--password-stdin", "--settle", "0")).ExitCode);

        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var confirm = await flow.Http.GetAsync("/oauth2/authorize/confirm");
        Assert.StartsWith("/oauth2/login", confirm.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_change_kills_old_refresh_and_access_tokens_and_the_new_password_works()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), OldPassword);
        using var http = _server.CreateClient();
        var old = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)));

        var changed = await CliAsync(NewPassword, "users", "set-password", user.Username, "--password-stdin", "--settle", "0", "--json");
        Assert.Equal(0, changed.ExitCode);
        Assert.True(changed.Json.GetProperty("tokens_revoked").GetInt32() >= 2);

        await AssertInactiveAsync(http, client, old.Str("access_token"));
        await AssertInactiveAsync(http, client, old.Str("refresh_token"));
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", old.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)), HttpStatusCode.BadRequest, "invalid_grant");
        var fresh = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", NewPassword)));
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", fresh.Str("refresh_token"))));

        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, NewPassword);
    }

    [Fact]
    public async Task A_refresh_token_issued_before_a_password_change_is_refused_even_if_bulk_revocation_missed_it()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), OldPassword);
        using var http = _server.CreateClient();
        var old = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)));

        // Only the stamp changes (what a warm instance that issued after the bulk revocation would leave behind).
        var hasher = _server.Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<User>>();
        await _server.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(user.Username, hasher.HashPassword(user, NewPassword), CancellationToken.None);

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", old.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Keep_tokens_keeps_access_tokens_but_still_ends_refresh_tokens()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), OldPassword);
        using var http = _server.CreateClient();
        var old = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)));

        Assert.Equal(0, (await CliAsync(NewPassword, "users", "set-password", user.Username, "--password-stdin", "--keep-tokens")).ExitCode);

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", old.Str("access_token"))));
        Assert.True(answer.GetProperty("active").GetBoolean());
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", old.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", NewPassword)));
    }

    [Fact]
    public async Task A_disabled_users_refresh_token_is_refused()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), OldPassword);
        using var http = _server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)));

        await _server.Services.GetRequiredService<UserAccounts>().SetDisabledAsync(user.Username, true, CancellationToken.None);

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
        await _server.Services.GetRequiredService<UserAccounts>().SetDisabledAsync(user.Username, false, CancellationToken.None);
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_removed_users_refresh_token_is_refused_even_when_the_name_is_taken_again()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync(NewName(), OldPassword);
        using var http = _server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)));

        await _server.Services.GetRequiredService<IUserStore>().RemoveAsync(user.Username, CancellationToken.None);
        await _server.AddUserAsync(user.Username, NewPassword);

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static string NewName() => "acct-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(int ExitCode, JsonElement Json)> CliAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        var run = await InProcessCli.RunAsync(_server, args, input);
        return (run.ExitCode, run.Json);
    }

    private static async Task AssertInactiveAsync(HttpClient http, TestClient client, string token)
    {
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.Equal(JsonValueKind.False, answer.GetProperty("active").ValueKind);
    }
}
