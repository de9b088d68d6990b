using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>
/// What every <see cref="ITokenStore"/> must do, run against the in-memory store (unit tests) and the Table Storage
/// store on Azurite (integration tests): single use under concurrency, rotation that replaces a family's live pair,
/// revocation that reaches the live end however the family moved, and never a live token nobody can revoke.
/// </summary>
public abstract class TokenStoreContract : IAsyncLifetime
{
    private const int Rounds = 20;

    protected abstract ITokenStore Store { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Writes a refresh token from before families, as an older deployment left it.</summary>
    protected abstract Task<StoredLegacyRefreshToken> SeedLegacyAsync(TokenHandle handle, TokenGrant grant, TokenRef? accessToken);

    [Fact]
    public async Task An_issued_pair_starts_a_family_whose_live_end_is_that_pair()
    {
        var pair = NewPair();
        await Store.IssueAsync(pair, default);

        var family = await FamilyAsync(pair);
        Assert.True(family.IsCurrent(pair.Refresh!.Handle));
        Assert.Equal(pair.Access.Handle.Ref, family.CurrentAccessToken);
        Assert.False(family.Revoked);
        Assert.Equal(pair.Family, (await Store.FindAccessTokenAsync(pair.Access.Handle, default))!.Family);
    }

    [Fact]
    public async Task Of_twenty_concurrent_redemptions_exactly_one_commits_and_only_its_tokens_remain()
    {
        var code = await NewCodeAsync();
        var pairs = Enumerable.Range(0, Rounds).Select(_ => NewPair()).ToList();

        var results = await Task.WhenAll(pairs.Select(pair => Task.Run(() => Store.RedeemCodeAsync(code, pair, default))));

        Assert.Equal(1, results.Count(r => r == CommitResult.Committed));
        var winner = pairs[Array.IndexOf(results, CommitResult.Committed)];
        foreach (var pair in pairs)
        {
            var won = pair == winner;
            Assert.Equal(won, await Store.FindAccessTokenAsync(pair.Access.Handle, default) is not null);
            Assert.Equal(won, await Store.FindFamilyAsync(pair.Family!.Value, default) is not null);
        }
    }

    [Fact]
    public async Task A_redeemed_code_names_the_access_token_and_family_it_produced()
    {
        var code = await NewCodeAsync();
        var pair = NewPair();

        Assert.Equal(CommitResult.Committed, await Store.RedeemCodeAsync(code, pair, default));

        var spent = (await Store.FindCodeAsync(CodeHandle(code), default))!;
        Assert.True(spent.Used);
        Assert.Equal(pair.Access.Handle.Ref, spent.IssuedAccessToken);
        Assert.Equal(pair.Family, spent.IssuedFamily);
    }

    [Fact]
    public async Task A_second_redemption_with_the_version_read_before_the_first_is_refused()
    {
        var code = await NewCodeAsync();
        Assert.Equal(CommitResult.Committed, await Store.RedeemCodeAsync(code, NewPair(), default));

        var late = NewPair();
        Assert.Equal(CommitResult.AlreadyUsed, await Store.RedeemCodeAsync(code, late, default));
        Assert.Null(await Store.FindAccessTokenAsync(late.Access.Handle, default));
    }

    [Fact]
    public async Task A_rotation_makes_the_new_pair_live_and_ends_the_old_access_token()
    {
        var (first, family) = await NewFamilyAsync();
        var next = NextPair(first);

        Assert.Equal(CommitResult.Committed, await Store.RotateAsync(family, next, default));

        var rotated = await FamilyAsync(first);
        Assert.True(rotated.IsCurrent(next.Refresh!.Handle));
        Assert.False(rotated.IsCurrent(first.Refresh!.Handle));
        Assert.Equal(next.Access.Handle.Ref, rotated.CurrentAccessToken);
        Assert.Equal(1, rotated.Rotations);
        Assert.Null(await Store.FindAccessTokenAsync(first.Access.Handle, default));
        Assert.NotNull(await Store.FindAccessTokenAsync(next.Access.Handle, default));
    }

    [Fact]
    public async Task Of_twenty_concurrent_rotations_exactly_one_commits_and_only_its_access_token_remains()
    {
        var (first, family) = await NewFamilyAsync();
        var pairs = Enumerable.Range(0, Rounds).Select(_ => NextPair(first)).ToList();

        var results = await Task.WhenAll(pairs.Select(pair => Task.Run(() => Store.RotateAsync(family, pair, default))));

        Assert.Equal(1, results.Count(r => r == CommitResult.Committed));
        var winner = pairs[Array.IndexOf(results, CommitResult.Committed)];
        Assert.True((await FamilyAsync(first)).IsCurrent(winner.Refresh!.Handle));
        foreach (var pair in pairs)
        {
            Assert.Equal(pair == winner, await Store.FindAccessTokenAsync(pair.Access.Handle, default) is not null);
        }
    }

    [Fact]
    public async Task A_rotation_from_a_stale_read_is_refused()
    {
        var (first, family) = await NewFamilyAsync();
        Assert.Equal(CommitResult.Committed, await Store.RotateAsync(family, NextPair(first), default));

        var stale = NextPair(first);
        Assert.Equal(CommitResult.AlreadyUsed, await Store.RotateAsync(family, stale, default));
        Assert.Null(await Store.FindAccessTokenAsync(stale.Access.Handle, default));
    }

    /// <summary>The user check runs alongside the rotation's writes (docs/PERFORMANCE.md, "Sequential depth"); failing, it commits nothing.</summary>
    [Fact]
    public async Task A_rotation_whose_check_fails_commits_nothing_and_keeps_no_new_row()
    {
        var (first, family) = await NewFamilyAsync();
        var next = NextPair(first);

        Assert.Equal(CommitResult.Withdrawn, await Store.RotateAsync(family, next, Task.FromResult(false), default));

        var unchanged = await FamilyAsync(first);
        Assert.True(unchanged.IsCurrent(first.Refresh!.Handle));
        Assert.Equal(family.Version, unchanged.Version);
        Assert.Null(await Store.FindAccessTokenAsync(next.Access.Handle, default));
    }

    [Fact]
    public async Task A_rotation_waits_for_its_check_before_it_commits()
    {
        var (first, family) = await NewFamilyAsync();
        var next = NextPair(first);
        var check = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        var rotation = Store.RotateAsync(family, next, check.Task, default);
        await Task.Delay(100);
        Assert.False(rotation.IsCompleted);
        Assert.True((await FamilyAsync(first)).IsCurrent(first.Refresh!.Handle));

        check.SetResult(true);
        Assert.Equal(CommitResult.Committed, await rotation);
        Assert.True((await FamilyAsync(first)).IsCurrent(next.Refresh!.Handle));
    }

    [Fact]
    public async Task Revoking_a_family_ends_its_live_refresh_and_access_tokens()
    {
        var (first, family) = await NewFamilyAsync();

        await Store.RevokeFamilyAsync(family, default);

        Assert.Null(await Store.FindFamilyAsync(first.Family!.Value, default));
        Assert.Null(await Store.FindAccessTokenAsync(first.Access.Handle, default));
    }

    [Fact]
    public async Task Revoking_a_family_read_before_rotations_still_reaches_the_live_end()
    {
        var (first, stale) = await NewFamilyAsync();
        var current = stale;
        var last = first;
        for (var i = 0; i < 3; i++)
        {
            last = NextPair(first);
            Assert.Equal(CommitResult.Committed, await Store.RotateAsync(current, last, default));
            current = await FamilyAsync(first);
        }

        await Store.RevokeFamilyAsync(stale, default);

        Assert.Null(await Store.FindFamilyAsync(first.Family!.Value, default));
        Assert.Null(await Store.FindAccessTokenAsync(last.Access.Handle, default));
    }

    [Fact]
    public async Task Revoking_a_family_twice_is_harmless()
    {
        var (first, family) = await NewFamilyAsync();

        await Store.RevokeFamilyAsync(family, default);
        await Store.RevokeFamilyAsync(family, default);

        Assert.Null(await Store.FindFamilyAsync(first.Family!.Value, default));
    }

    [Fact]
    public async Task A_rotation_racing_a_revocation_never_leaves_a_live_token()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (first, family) = await NewFamilyAsync();
            var next = NextPair(first);

            var rotation = Task.Run(() => Store.RotateAsync(family, next, default));
            var revocation = Task.Run(() => Store.RevokeFamilyAsync(family, default));
            await Task.WhenAll(rotation, revocation);

            Assert.Null(await Store.FindFamilyAsync(first.Family!.Value, default));
            Assert.Null(await Store.FindAccessTokenAsync(first.Access.Handle, default));
            Assert.Null(await Store.FindAccessTokenAsync(next.Access.Handle, default));
        }
    }

    [Fact]
    public async Task A_pre_family_refresh_token_becomes_a_family_exactly_once()
    {
        var access = NewPair(refresh: false);
        await Store.IssueAsync(access, default);
        var legacy = await SeedLegacyAsync(LegacyTokens.NewRefresh(null), Grant(null), access.Access.Handle.Ref);
        var pairs = Enumerable.Range(0, Rounds).Select(_ => NewPair()).ToList();

        var results = await Task.WhenAll(pairs.Select(pair => Task.Run(() => Store.UpgradeLegacyAsync(legacy, pair, default))));

        Assert.Equal(1, results.Count(r => r == CommitResult.Committed));
        var winner = pairs[Array.IndexOf(results, CommitResult.Committed)];
        var used = (await Store.FindLegacyRefreshTokenAsync(legacy.Ref, default))!;
        Assert.True(used.Rotated);
        Assert.Equal(winner.Family, used.SuccessorFamily);
        Assert.Null(await Store.FindAccessTokenAsync(access.Access.Handle, default));
        foreach (var pair in pairs)
        {
            Assert.Equal(pair == winner, await Store.FindFamilyAsync(pair.Family!.Value, default) is not null);
        }
    }

    [Fact]
    public async Task Revoking_a_pre_family_token_that_changed_since_it_was_read_is_reported()
    {
        var legacy = await SeedLegacyAsync(LegacyTokens.NewRefresh(null), Grant(null), null);
        Assert.Equal(CommitResult.Committed, await Store.UpgradeLegacyAsync(legacy, NewPair(), default));

        Assert.False(await Store.RevokeLegacyRefreshTokenAsync(legacy, default));
    }

    [Fact]
    public async Task Revoking_an_unchanged_pre_family_token_deletes_it_and_its_access_token()
    {
        var access = NewPair(refresh: false);
        await Store.IssueAsync(access, default);
        var legacy = await SeedLegacyAsync(LegacyTokens.NewRefresh(DateTimeOffset.UtcNow.AddDays(1)), Grant(DateTimeOffset.UtcNow.AddDays(1)), access.Access.Handle.Ref);

        Assert.True(await Store.RevokeLegacyRefreshTokenAsync(legacy, default));

        Assert.Null(await Store.FindLegacyRefreshTokenAsync(legacy.Ref, default));
        Assert.Null(await Store.FindAccessTokenAsync(access.Access.Handle, default));
    }

    protected static TokenGrant Grant(DateTimeOffset? expiresAt) =>
        new("contract-client", "user-1", "alice", 2, DateTimeOffset.UtcNow, expiresAt, "stamp-1");

    /// <summary>A pair as the issuer mints it: an access token and, by default, the refresh token of a new family.</summary>
    protected static NewTokenPair NewPair(bool refresh = true, string? familyId = null, DateTimeOffset? refreshExpires = null)
    {
        var now = DateTimeOffset.UtcNow;
        var access = new NewToken(TokenHandle.Issue(TokenKind.AccessToken, now.AddHours(1)), Grant(now.AddHours(1)));
        return refresh
            ? new NewTokenPair(access, new NewToken(TokenHandle.IssueRefresh(familyId ?? FamilyKey.NewId()), Grant(refreshExpires)))
            : new NewTokenPair(access, null);
    }

    private static NewTokenPair NextPair(NewTokenPair previous) => NewPair(familyId: previous.Refresh!.Handle.FamilyId);

    private async Task<(NewTokenPair Pair, StoredFamily Family)> NewFamilyAsync()
    {
        var pair = NewPair();
        await Store.IssueAsync(pair, default);
        return (pair, await FamilyAsync(pair));
    }

    private async Task<StoredFamily> FamilyAsync(NewTokenPair pair) =>
        await Store.FindFamilyAsync(pair.Family!.Value, default) ?? throw new InvalidOperationException("The family is gone.");

    private readonly Dictionary<TokenRef, TokenHandle> _codeHandles = [];

    private async Task<StoredCode> NewCodeAsync()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        var handle = TokenHandle.Issue(TokenKind.AuthorizationCode, expires);
        await Store.SaveCodeAsync(new NewCode(handle, Grant(expires), "https://client.example/cb", true, null), default);
        _codeHandles[handle.Ref] = handle;
        return (await Store.FindCodeAsync(handle, default))!;
    }

    private TokenHandle CodeHandle(StoredCode code) => _codeHandles[code.Ref];
}
