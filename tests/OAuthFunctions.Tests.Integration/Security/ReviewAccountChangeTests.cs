using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// Review of the security stamp (issue 9): how long a sign-in and a refresh token outlive a password change on a warm
/// instance, users whose rows predate stamps, and what the incident command <c>tokens revoke --user</c> leaves.
/// </summary>
public sealed class ReviewAccountChangeTests
{
    private const string OldPassword = "correct horse battery";
    private const string NewPassword = "staple tortoise lantern";

    /// <summary>
    /// docs/OPERATIONS.md, "Incidents": a leaked token or a taken-over account is answered with
    /// <c>oauthctl tokens revoke --user NAME</c>. It deletes codes and tokens but leaves the stamp, so the attacker's
    /// open sign-in (8 hours by default) keeps reaching the consent page, and issues codes silently for trusted clients.
    /// </summary>
    [Fact]
    public async Task Tokens_revoke_for_a_user_also_ends_their_open_sign_ins()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync(NewName(), OldPassword);
        using var attacker = new FlowDriver(server);
        await attacker.LoginAsync(user.Username, OldPassword);

        Assert.Equal(0, await CliAsync(server, string.Empty, "tokens", "revoke", "--user", user.Username, "--settle", "0"));

        var capture = await attacker.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Holds: on a warm instance a sign-in and a refresh token outlive a password change by at most ClientCacheLifetime.</summary>
    [Fact]
    public async Task A_warm_instance_ends_a_sign_in_and_a_refresh_token_once_the_cache_lifetime_has_passed()
    {
        await using var server = await OAuthTestServer.StartAsync(o =>
        {
            o.FakeTime = true;
            o.With("OAuth:ClientCacheLifetime", "00:01:00");
        });
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync(NewName(), OldPassword);
        using var http = server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", OldPassword)));
        tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        using var flow = new FlowDriver(server);
        await flow.LoginAsync(user.Username, OldPassword);

        var hasher = server.Services.GetRequiredService<IPasswordHasher<User>>();
        await server.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(user.Username, hasher.HashPassword(user, NewPassword), CancellationToken.None);
        server.FakeTime!.Advance(TimeSpan.FromSeconds(61));

        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    /// <summary>Holds: a user row without a SecurityStamp column signs in and refreshes; a password change then ends both.</summary>
    [Fact]
    public async Task A_user_written_before_stamps_keeps_working_until_the_password_changes()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));
        var client = await server.AddClientAsync();
        var name = NewName();
        var user = new User { UserId = Guid.NewGuid().ToString("N"), Username = name, PasswordHash = string.Empty, CreatedAt = DateTimeOffset.UtcNow };
        var hasher = server.Services.GetRequiredService<IPasswordHasher<User>>();
        var row = UserEntity.From(user with { PasswordHash = hasher.HashPassword(user, OldPassword) });
        row.SecurityStamp = null;
        await server.Tables.Users.AddEntityAsync(row);
        Assert.False((await server.Tables.Users.GetEntityAsync<Azure.Data.Tables.TableEntity>(name, string.Empty)).Value.ContainsKey("SecurityStamp"));

        using var http = server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", name), ("password", OldPassword)));
        tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        using var flow = new FlowDriver(server);
        await flow.LoginAsync(name, OldPassword);
        await flow.StartAsync(("client_id", client.ClientId), ("response_type", "code"));

        await server.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(name, hasher.HashPassword(user, NewPassword), CancellationToken.None);

        var capture = await flow.CaptureAsync(("client_id", client.ClientId), ("response_type", "code"));
        Assert.StartsWith("/oauth2/login", capture.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static string NewName() => "review-acct-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<int> CliAsync(OAuthTestServer server, string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        return (await InProcessCli.RunAsync(server, args, input)).ExitCode;
    }
}
