using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// The refresh grant's rules (RFC 6749 §6, RFC 9700 §4.14.2) against the in-memory stores: rotation within a family,
/// reuse that ends the family at its live end, and a user who changed since the token was issued.
/// </summary>
public sealed class RefreshTokenGrantTests
{
    private readonly GrantHarness _h = new();

    [Fact]
    public async Task A_rotation_issues_a_pair_of_the_same_family_and_the_old_refresh_token_is_no_longer_live()
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync());

        var next = (await _h.RefreshAsync(first.Refresh!.Handle.Value)).Value!;

        Assert.Equal(first.Family, next.Family);
        var family = (await _h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None))!;
        Assert.True(family.IsCurrent(next.Refresh!.Handle));
        Assert.False(family.IsCurrent(first.Refresh.Handle));
        Assert.Null(await _h.Tokens.FindAccessTokenAsync(first.Access.Handle, CancellationToken.None));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public async Task Presenting_a_rotated_token_revokes_the_family_at_its_live_end(int rotations)
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync());
        var live = first;
        for (var i = 0; i < rotations; i++)
        {
            live = (await _h.RefreshAsync(live.Refresh!.Handle.Value)).Value!;
        }

        var replay = await _h.RefreshAsync(first.Refresh!.Handle.Value);

        Assert.Equal(OAuthErrors.InvalidRefreshToken, replay.Error);
        Assert.Null(await _h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
        Assert.Null(await _h.Tokens.FindAccessTokenAsync(live.Access.Handle, CancellationToken.None));
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(live.Refresh!.Handle.Value)).Error);
    }

    [Fact]
    public async Task A_forged_token_naming_a_family_is_treated_as_reuse()
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync());
        var forged = TokenHandle.IssueRefresh(first.Refresh!.Handle.FamilyId!);

        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(forged.Value)).Error);

        // Only a holder of a token of the family knows its id: whoever presents a wrong token with it is a thief or a victim.
        Assert.Null(await _h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
    }

    [Fact]
    public async Task Two_uses_of_one_token_at_once_leave_at_most_one_pair_and_then_none()
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync());
        var bothRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        _h.Tokens.BeforeWrite = async step =>
        {
            if (step == "rotate-insert" && Interlocked.Increment(ref arrived) <= 2)
            {
                if (arrived == 2)
                {
                    bothRead.TrySetResult();
                }

                await bothRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => _h.RefreshAsync(first.Refresh!.Handle.Value))));

        Assert.Single(results, r => !r.Failed);
        Assert.Null(await _h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
        Assert.Equal(0, _h.Tokens.AccessTokenCount);
    }

    [Fact]
    public async Task A_token_of_another_client_is_refused_and_its_family_left_alone()
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync());

        var result = await _h.RefreshAsync(first.Refresh!.Handle.Value, client: TestClients.Public());

        Assert.Equal(OAuthErrors.InvalidRefreshToken, result.Error);
        Assert.NotNull(await _h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_issued_before_a_password_change_is_refused_and_its_family_ends()
    {
        var user = await _h.AddUserAsync();
        var first = await _h.StartFamilyAsync(user);
        await new UserAccounts(_h.Users).SetPasswordAsync(user.Username, "new hash", CancellationToken.None);

        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(first.Refresh!.Handle.Value)).Error);
        Assert.Null(await _h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
    }

    [Fact]
    public async Task A_disabled_users_token_is_refused_and_stays_refused_after_enabling()
    {
        var user = await _h.AddUserAsync();
        var first = await _h.StartFamilyAsync(user);
        var accounts = new UserAccounts(_h.Users);

        await accounts.SetDisabledAsync(user.Username, true, CancellationToken.None);
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(first.Refresh!.Handle.Value)).Error);
        await accounts.SetDisabledAsync(user.Username, false, CancellationToken.None);
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(first.Refresh.Handle.Value)).Error);
    }

    [Fact]
    public async Task A_removed_users_token_is_refused_even_when_someone_takes_the_name()
    {
        var user = await _h.AddUserAsync("bob");
        var first = await _h.StartFamilyAsync(user);
        await _h.Users.RemoveAsync("bob", CancellationToken.None);
        await _h.AddUserAsync("bob");

        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(first.Refresh!.Handle.Value)).Error);
    }

    [Fact]
    public async Task An_unchanged_user_keeps_refreshing_after_an_unrelated_change()
    {
        var user = await _h.AddUserAsync();
        var first = await _h.StartFamilyAsync(user);

        // A failed sign-in writes the row but leaves the stamp alone.
        await new UserAccounts(_h.Users).ReserveGuessAsync(user, GuessBudget.Default, _h.Time, CancellationToken.None);

        Assert.False((await _h.RefreshAsync(first.Refresh!.Handle.Value)).Failed);
    }

    [Fact]
    public async Task An_expired_family_is_refused()
    {
        var h = new GrantHarness(refreshLifetime: TimeSpan.FromDays(1));
        var first = await h.StartFamilyAsync(await h.AddUserAsync());
        h.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(first.Refresh!.Handle.Value)).Error);
    }

    [Fact]
    public async Task Each_use_extends_an_expiring_family()
    {
        var h = new GrantHarness(refreshLifetime: TimeSpan.FromDays(1));
        var live = await h.StartFamilyAsync(await h.AddUserAsync());
        for (var day = 0; day < 3; day++)
        {
            h.Time.Advance(TimeSpan.FromHours(20));
            live = (await h.RefreshAsync(live.Refresh!.Handle.Value)).Value!;
        }

        var family = (await h.Tokens.FindFamilyAsync(live.Family!.Value, CancellationToken.None))!;
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromDays(1), family.Grant.ExpiresAt);
    }

    [Fact]
    public async Task A_narrower_scope_is_honoured_and_the_family_keeps_its_scope()
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync(), scope: 6);

        var narrowed = (await _h.RefreshAsync(first.Refresh!.Handle.Value, scope: "read")).Value!;

        Assert.Equal(2, narrowed.Access.Grant.Scope);
        Assert.Equal(6, narrowed.Refresh!.Grant.Scope);
    }

    [Fact]
    public async Task A_wider_scope_is_refused_and_the_token_stays_live()
    {
        var first = await _h.StartFamilyAsync(await _h.AddUserAsync(), scope: 2);

        Assert.Equal(OAuthErrors.ScopeInvalid, (await _h.RefreshAsync(first.Refresh!.Handle.Value, scope: "read write")).Error);
        Assert.False((await _h.RefreshAsync(first.Refresh.Handle.Value)).Failed);
    }

    [Fact]
    public async Task A_pre_family_token_becomes_a_family_once_and_its_reuse_ends_that_family()
    {
        var user = await _h.AddUserAsync();
        var legacy = LegacyTokens.NewRefresh(expiresAt: null);
        _h.Tokens.SeedLegacy(legacy.Ref, new TokenGrant(_h.Client.ClientId, user.UserId, user.Username, 6, _h.Time.GetUtcNow(), null, user.SecurityStamp), null);

        var upgraded = (await _h.RefreshAsync(legacy.Value)).Value!;
        Assert.NotNull(upgraded.Family);
        var next = (await _h.RefreshAsync(upgraded.Refresh!.Handle.Value)).Value!;

        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(legacy.Value)).Error);
        Assert.Null(await _h.Tokens.FindFamilyAsync(upgraded.Family.Value, CancellationToken.None));
        Assert.Null(await _h.Tokens.FindAccessTokenAsync(next.Access.Handle, CancellationToken.None));
    }

    [Fact]
    public async Task Malformed_or_unknown_tokens_are_refused()
    {
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync("not a token")).Error);
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(TokenHandle.IssueRefresh(FamilyKey.NewId()).Value)).Error);
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await _h.RefreshAsync(TokenHandle.Issue(TokenKind.AccessToken, _h.Time.GetUtcNow().AddHours(1)).Value)).Error);
    }
}
