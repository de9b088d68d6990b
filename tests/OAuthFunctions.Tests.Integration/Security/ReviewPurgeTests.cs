using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Testing;
using OAuthFunctions.Testing.Contracts;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// Review of the tombstones issue 9 added (purge reaches families and used pre-family tokens only through them): a
/// tombstone that is lost leaves its row for good. Fake clock, Azurite.
/// </summary>
public sealed class ReviewPurgeTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    private TokenPurger Purger => _server.Services.GetRequiredService<TokenPurger>();

    private DateTimeOffset Now => _server.FakeTime!.GetUtcNow();

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.FakeTime = true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// PurgeFamilyAsync moves a family's tombstone to the hour its live token now expires in (an upsert), then the chunk's
    /// batch deletes every row it read, by key, with ETag *. When the new hour is the hour the old tombstone was in, the
    /// moved tombstone has the old one's key and the batch deletes it: the family row is never purged. Any refresh
    /// lifetime under an hour does this for every family rotated within its hour.
    /// </summary>
    [Fact]
    public async Task A_family_rescheduled_within_the_same_hour_is_still_purged_once_it_expires()
    {
        // 01 minutes past an hour.
        var intoHour = TimeSpan.FromTicks(Now.UtcTicks % TimeSpan.TicksPerHour);
        _server.FakeTime!.Advance(TimeSpan.FromHours(1) - intoHour + TimeSpan.FromMinutes(1));
        var first = NewPair(TimeSpan.FromMinutes(30));
        await _server.Tokens.IssueAsync(first, CancellationToken.None);

        // Rotated at :21, so the family now expires at :51, in the same hour as its tombstone (:31).
        _server.FakeTime.Advance(TimeSpan.FromMinutes(20));
        var family = (await _server.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None))!;
        Assert.Equal(CommitResult.Committed, await _server.Tokens.RotateAsync(family, NewPair(TimeSpan.FromMinutes(30), first.Refresh!.Handle.FamilyId), CancellationToken.None));

        _server.FakeTime.Advance(TimeSpan.FromMinutes(14));
        var rescheduling = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, rescheduling.FamiliesRescheduled);

        _server.FakeTime.Advance(TimeSpan.FromHours(3));
        await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.False(await FamilyExistsAsync(first), "The family expired hours ago and was never purged: its rescheduled tombstone was deleted by the batch that moved it.");
    }

    /// <summary>
    /// Two upgrades of one never-expiring pre-family token write the same tombstone key ("t" + the token's row, in the
    /// hour now + retention). The loser's insert gets 409, which AddNewAsync counts as its own, and its cleanup then
    /// deletes the winner's tombstone: the used token stays for good.
    /// </summary>
    [Fact]
    public async Task A_lost_upgrade_race_does_not_remove_the_winners_tombstone()
    {
        var legacy = LegacyTokens.NewRefresh(expiresAt: null);
        var row = TokenEntity.From(TableKeys.TokenPartition(legacy.Ref), TableKeys.TokenRow(legacy.Ref), new TokenGrant("c", "u", "user", 2, Now, null));
        row.Rotated = false;
        await _server.Tables.Tokens.AddEntityAsync(row);
        var stored = (await _server.Tokens.FindLegacyRefreshTokenAsync(legacy.Ref, CancellationToken.None))!;

        Assert.Equal(CommitResult.Committed, await _server.Tokens.UpgradeLegacyAsync(stored, NewPair(refreshLifetime: null), CancellationToken.None));
        Assert.Equal(CommitResult.AlreadyUsed, await _server.Tokens.UpgradeLegacyAsync(stored, NewPair(refreshLifetime: null), CancellationToken.None));

        _server.FakeTime!.Advance(TimeSpan.FromDays(91));
        await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.False(
            (await _server.Tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(TableKeys.TokenPartition(legacy.Ref), TableKeys.TokenRow(legacy.Ref))).HasValue,
            "The used pre-family token outlived its retention: the losing upgrade deleted the winner's tombstone.");
    }

    private NewTokenPair NewPair(TimeSpan? refreshLifetime, string? familyId = null)
    {
        var accessExpires = Now + TimeSpan.FromMinutes(10);
        DateTimeOffset? refreshExpires = refreshLifetime is { } lifetime ? Now + lifetime : null;
        return new NewTokenPair(
            new NewToken(TokenHandle.Issue(TokenKind.AccessToken, accessExpires), new TokenGrant("c", "u", "user", 2, Now, accessExpires)),
            new NewToken(TokenHandle.IssueRefresh(familyId ?? FamilyKey.NewId()), new TokenGrant("c", "u", "user", 2, Now, refreshExpires)));
    }

    private async Task<bool> FamilyExistsAsync(NewTokenPair pair) =>
        (await _server.Tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(TableKeys.FamilyPartition(pair.Family!.Value), TableKeys.SingletonRow)).HasValue;
}
