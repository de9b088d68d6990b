using Microsoft.Extensions.Primitives;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Review of refresh token families (issue 9) against the in-memory store: every interleaving of a rotation, a
/// revocation, a code replay and a pre-family upgrade at each write, forged token strings, and reuse detection for a
/// rotated token whose own lifetime is over.
/// </summary>
public sealed class ReviewRefreshFamilyTests
{
    private static readonly AsyncLocal<string?> Actor = new();

    /// <summary>
    /// RFC 9700 §4.14.2: the victim's app presenting a rotated token tells the server that someone else rotated it.
    /// With expiring families, each rotated token keeps its own expiry hour in its string and is refused by that alone,
    /// without reading the family: a thief who rotated first and keeps rotating (each use extends the family) is never
    /// detected once the victim's copy is older than one refresh lifetime, though the family row could tell at once.
    /// </summary>
    [Fact]
    public async Task A_rotated_token_replayed_after_its_own_expiry_still_ends_the_family()
    {
        var h = new GrantHarness(refreshLifetime: TimeSpan.FromDays(1));
        var victims = await h.StartFamilyAsync(await h.AddUserAsync());

        h.Time.Advance(TimeSpan.FromHours(12));
        var thief = (await h.RefreshAsync(victims.Refresh!.Handle.Value)).Value!;
        h.Time.Advance(TimeSpan.FromHours(18));
        thief = (await h.RefreshAsync(thief.Refresh!.Handle.Value)).Value!;

        // 30 h after issue the victim's app uses its copy of the first token.
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(victims.Refresh.Handle.Value)).Error);

        Assert.True(
            await h.Tokens.FindFamilyAsync(victims.Family!.Value, CancellationToken.None) is null,
            "The replay of an expired rotated token was refused without looking at the family: the thief's live end survives.");
    }

    /// <summary>Holds: a rotation paused before each of its writes, with a revocation run in full meanwhile, leaves nothing live.</summary>
    [Theory]
    [InlineData("rotate-insert")]
    [InlineData("rotate-commit")]
    public async Task A_rotation_paused_at_each_write_while_the_family_is_revoked_leaves_nothing_live(string step)
    {
        var h = new GrantHarness();
        var first = await h.StartFamilyAsync(await h.AddUserAsync());
        var revocation = new TokenRevocation(h.Tokens, TestClients.Security);

        var (rotated, _) = await InterleaveAsync(
            h.Tokens,
            pausedActor: () => h.RefreshAsync(first.Refresh!.Handle.Value),
            pausedAt: step,
            meanwhile: async () =>
            {
                await revocation.RevokeFamilyAsync((await h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None))!, "review", CancellationToken.None);
                return OAuthErrors.InvalidRefreshToken;
            });

        await AssertDeadAsync(h, first, rotated);
    }

    /// <summary>Holds: a revocation paused before each of its writes, with a rotation (or two) committed meanwhile, still reaches the live end.</summary>
    [Theory]
    [InlineData("revoke-access", 1)]
    [InlineData("revoke-family", 1)]
    [InlineData("revoke-mark", 1)]
    [InlineData("revoke-finish", 1)]
    [InlineData("revoke-family", 3)]
    public async Task A_revocation_paused_at_each_write_while_the_family_rotates_still_reaches_the_live_end(string step, int rotations)
    {
        var h = new GrantHarness();
        var first = await h.StartFamilyAsync(await h.AddUserAsync());
        var revocation = new TokenRevocation(h.Tokens, TestClients.Security);
        var read = (await h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None))!;
        var live = first;

        await InterleaveAsync(
            h.Tokens,
            pausedActor: async () =>
            {
                await revocation.RevokeFamilyAsync(read, "review", CancellationToken.None);
                return OAuthErrors.InvalidRefreshToken;
            },
            pausedAt: step,
            meanwhile: async () =>
            {
                for (var i = 0; i < rotations; i++)
                {
                    var next = await h.RefreshAsync(live.Refresh!.Handle.Value);
                    if (next.Failed)
                    {
                        return next;
                    }

                    live = next.Value!;
                }

                return live;
            });

        Assert.Null(await h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
        Assert.Null(await h.Tokens.FindAccessTokenAsync(live.Access.Handle, CancellationToken.None));
        Assert.Equal(0, h.Tokens.AccessTokenCount);
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(live.Refresh!.Handle.Value)).Error);
    }

    /// <summary>Holds: a code redemption paused at each write while the code is replayed: at most one pair, and it is dead.</summary>
    [Theory]
    [InlineData("redeem-insert")]
    [InlineData("redeem-commit")]
    public async Task A_code_redemption_paused_at_each_write_while_the_code_is_replayed_leaves_nothing_live(string step)
    {
        var h = new GrantHarness();
        var user = await h.AddUserAsync();
        var code = new NewCode(
            TokenHandle.Issue(TokenKind.AuthorizationCode, h.Time.GetUtcNow().AddMinutes(10)),
            new TokenGrant(h.Client.ClientId, user.UserId, user.Username, 6, h.Time.GetUtcNow(), h.Time.GetUtcNow().AddMinutes(10), user.SecurityStamp),
            TestClients.RedirectUri,
            false,
            null);
        await h.Tokens.SaveCodeAsync(code, CancellationToken.None);

        var (a, b) = await InterleaveAsync(h.Tokens, () => RedeemAsync(h, code.Handle.Value), step, () => RedeemAsync(h, code.Handle.Value));

        Assert.True(a.Failed || b.Failed);
        foreach (var won in new[] { a, b }.Where(r => !r.Failed))
        {
            Assert.Null(await h.Tokens.FindAccessTokenAsync(won.Value!.Access.Handle, CancellationToken.None));
            Assert.Null(await h.Tokens.FindFamilyAsync(won.Value.Family!.Value, CancellationToken.None));
        }

        Assert.Equal(0, h.Tokens.AccessTokenCount);
    }

    /// <summary>Holds: a pre-family token's upgrade paused at each write while RFC 7009 revokes it (or the reverse) leaves nothing live.</summary>
    [Theory]
    [InlineData("upgrade-insert", true)]
    [InlineData("upgrade-commit", true)]
    [InlineData("revoke-legacy", false)]
    public async Task A_pre_family_upgrade_racing_its_revocation_leaves_nothing_live(string step, bool pauseUpgrade)
    {
        var h = new GrantHarness();
        var user = await h.AddUserAsync();
        var legacy = LegacyTokens.NewRefresh(expiresAt: null);
        var oldAccess = TokenHandle.Issue(TokenKind.AccessToken, h.Time.GetUtcNow().AddHours(1));
        var grant = new TokenGrant(h.Client.ClientId, user.UserId, user.Username, 6, h.Time.GetUtcNow(), null, user.SecurityStamp);
        await h.Tokens.IssueAsync(new NewTokenPair(new NewToken(oldAccess, grant with { ExpiresAt = h.Time.GetUtcNow().AddHours(1) }), null), CancellationToken.None);
        var stored = h.Tokens.SeedLegacy(legacy.Ref, grant, oldAccess.Ref);
        var revocation = new TokenRevocation(h.Tokens, TestClients.Security);

        Func<Task<Result<NewTokenPair>>> upgrade = () => h.RefreshAsync(legacy.Value);
        Func<Task<Result<NewTokenPair>>> revoke = async () =>
        {
            await revocation.RevokeLegacyAsync(stored, "review", CancellationToken.None);
            return OAuthErrors.InvalidRefreshToken;
        };

        var (a, b) = pauseUpgrade
            ? await InterleaveAsync(h.Tokens, upgrade, step, revoke)
            : await InterleaveAsync(h.Tokens, revoke, step, upgrade);

        foreach (var won in new[] { a, b }.Where(r => !r.Failed))
        {
            Assert.Null(await h.Tokens.FindFamilyAsync(won.Value!.Family!.Value, CancellationToken.None));
            Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(won.Value.Refresh!.Handle.Value)).Error);
        }

        Assert.Equal(0, h.Tokens.AccessTokenCount);
        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(legacy.Value)).Error);
    }

    /// <summary>Holds: malformed, oversized and mistyped strings are refused and leave a live family alone.</summary>
    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("bad-char")]
    [InlineData("bad-bucket")]
    [InlineData("huge")]
    [InlineData("access-token")]
    [InlineData("code")]
    [InlineData("r-of-family-length")]
    public async Task Malformed_or_mistyped_refresh_tokens_are_refused_and_touch_nothing(string kind)
    {
        var h = new GrantHarness();
        var live = await h.StartFamilyAsync(await h.AddUserAsync());
        var value = live.Refresh!.Handle.Value;
        var presented = kind switch
        {
            "short" => value[..^1],
            "long" => value + "A",
            "bad-char" => value[..40] + "." + value[41..],
            "bad-bucket" => "f-000001" + value[8..],
            "huge" => value + new string('A', 1_000_000),
            "access-token" => live.Access.Handle.Value,
            "code" => TokenHandle.Issue(TokenKind.AuthorizationCode, h.Time.GetUtcNow().AddMinutes(5)).Value,
            _ => "r0" + value[2..],
        };

        Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(presented)).Error);
        Assert.False((await h.RefreshAsync(value)).Failed);
    }

    private static Task<Result<NewTokenPair>> RedeemAsync(GrantHarness h, string code) =>
        h.Code.HandleAsync(
            new TokenRequest(GrantHarness.Post(new Dictionary<string, StringValues> { ["grant_type"] = "authorization_code", ["code"] = code }), h.Client),
            CancellationToken.None);

    private static async Task AssertDeadAsync(GrantHarness h, NewTokenPair first, Result<NewTokenPair> rotated)
    {
        Assert.Null(await h.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None));
        if (!rotated.Failed)
        {
            Assert.Null(await h.Tokens.FindAccessTokenAsync(rotated.Value!.Access.Handle, CancellationToken.None));
            Assert.Equal(OAuthErrors.InvalidRefreshToken, (await h.RefreshAsync(rotated.Value.Refresh!.Handle.Value)).Error);
        }

        Assert.Equal(0, h.Tokens.AccessTokenCount);
    }

    /// <summary>
    /// Runs <paramref name="pausedActor"/> until it is about to perform the write <paramref name="pausedAt"/>, runs
    /// <paramref name="meanwhile"/> in full, then lets the first one finish. If the paused one never reaches that write,
    /// the two simply run one after the other.
    /// </summary>
    private static async Task<(Result<NewTokenPair> Paused, Result<NewTokenPair> Meanwhile)> InterleaveAsync(
        InMemoryTokenStore store,
        Func<Task<Result<NewTokenPair>>> pausedActor,
        string pausedAt,
        Func<Task<Result<NewTokenPair>>> meanwhile)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var used = 0;
        store.BeforeWrite = async step =>
        {
            if (Actor.Value == "paused" && step == pausedAt && Interlocked.Exchange(ref used, 1) == 0)
            {
                reached.TrySetResult();
                await resume.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        };

        var paused = Task.Run(async () =>
        {
            Actor.Value = "paused";
            return await pausedActor();
        });
        await Task.WhenAny(reached.Task, paused);
        var other = await Task.Run(async () =>
        {
            Actor.Value = "meanwhile";
            return await meanwhile();
        });
        resume.TrySetResult();
        var first = await paused;
        store.BeforeWrite = null;
        return (first, other);
    }
}
