using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Purge;

/// <summary>
/// Purge on a fake clock against Azurite: it deletes exactly what has expired, never anything live,
/// in bounded runs, idempotently, and survives a crash and a concurrent run.
/// </summary>
public sealed class PurgeTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    private TokenPurger Purger => _server.Services.GetRequiredService<TokenPurger>();

    private DateTimeOffset Now => _server.FakeTime!.GetUtcNow();

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.FakeTime = true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Token_one_second_before_expiry_survives_and_one_second_past_expiry_goes()
    {
        var soon = await AccessTokenAsync(TimeSpan.FromMinutes(10));
        var later = await AccessTokenAsync(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(2));
        _server.FakeTime!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Equal(1, report.AccessTokens);
        Assert.False(await ExistsAsync(soon));
        Assert.True(await ExistsAsync(later));
    }

    [Fact]
    public async Task Expired_codes_used_or_not_and_expired_families_go()
    {
        var code = await CodeAsync(TimeSpan.FromMinutes(10));
        var expiring = await FamilyAsync(TimeSpan.FromDays(1));
        var live = await FamilyAsync(TimeSpan.FromDays(3));
        _server.FakeTime!.Advance(TimeSpan.FromDays(2));

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Equal(1, report.Codes);
        Assert.Equal(1, report.Families);
        Assert.False(await ExistsAsync(code));
        Assert.False(await FamilyExistsAsync(expiring));
        Assert.True(await FamilyExistsAsync(live));
    }

    [Fact]
    public async Task A_family_rotated_after_its_tombstone_was_written_is_rescheduled_not_deleted()
    {
        var first = NewPair(TimeSpan.FromDays(1));
        await _server.Tokens.IssueAsync(first, CancellationToken.None);
        _server.FakeTime!.Advance(TimeSpan.FromHours(12));
        var family = (await _server.Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None))!;
        Assert.Equal(Core.Stores.CommitResult.Committed, await _server.Tokens.RotateAsync(family, NewPair(TimeSpan.FromDays(1), first.Refresh!.Handle.FamilyId), CancellationToken.None));

        _server.FakeTime.Advance(TimeSpan.FromHours(14));
        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(0, report.Families);
        Assert.Equal(1, report.FamiliesRescheduled);
        Assert.True(await FamilyExistsAsync(first));

        _server.FakeTime.Advance(TimeSpan.FromDays(1));
        report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, report.Families);
        Assert.False(await FamilyExistsAsync(first));
    }

    [Fact]
    public async Task A_family_started_by_a_code_is_reached_through_the_tombstone_written_with_the_code()
    {
        var handle = await CodeAsync(TimeSpan.FromMinutes(10));
        var code = (await _server.Tokens.FindCodeAsync(handle, CancellationToken.None))!;
        var pair = NewPair(TimeSpan.FromDays(1));
        Assert.Equal(Core.Stores.CommitResult.Committed, await _server.Tokens.RedeemCodeAsync(code, pair, CancellationToken.None));

        _server.FakeTime!.Advance(TimeSpan.FromHours(2));
        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, report.Codes);
        Assert.Equal(1, report.FamiliesRescheduled);

        _server.FakeTime.Advance(TimeSpan.FromDays(1));
        report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, report.Families);
        Assert.False(await FamilyExistsAsync(pair));
    }

    [Fact]
    public async Task Families_that_never_expire_stay()
    {
        var family = await FamilyAsync(lifetime: null);
        _server.FakeTime!.Advance(TimeSpan.FromDays(1000));

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Equal(0, report.Families);
        Assert.True(await FamilyExistsAsync(family));
    }

    [Fact]
    public async Task A_used_pre_family_token_that_never_expires_goes_after_the_retention()
    {
        var legacy = await LegacyAsync();
        var stored = (await _server.Tokens.FindLegacyRefreshTokenAsync(legacy.Ref, CancellationToken.None))!;
        var family = NewPair(refreshLifetime: null);
        Assert.Equal(Core.Stores.CommitResult.Committed, await _server.Tokens.UpgradeLegacyAsync(stored, family, CancellationToken.None));

        _server.FakeTime!.Advance(TimeSpan.FromDays(89));
        await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.True(await ExistsAsync(legacy), "Reuse detection still needs the used token.");

        _server.FakeTime.Advance(TimeSpan.FromDays(2));
        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, report.RotatedRefreshTokens);
        Assert.Equal(1, report.Tombstones);
        Assert.False(await ExistsAsync(legacy));
        Assert.True(await FamilyExistsAsync(family));
    }

    [Fact]
    public async Task A_tombstone_never_deletes_a_refresh_token_that_was_not_used()
    {
        var live = await LegacyAsync();

        // What an upgrade that failed after writing its tombstone leaves behind.
        var purgeAt = Now + TimeSpan.FromHours(1);
        await _server.Tables.Tokens.AddEntityAsync(TokenEntity.Tombstone(
            Storage.TableKeys.TokenPartition(live.Shard, TokenHandle.BucketOf(purgeAt)), live.Ref.ToString(), Now, purgeAt));
        _server.FakeTime!.Advance(TimeSpan.FromHours(2));

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Equal(1, report.Tombstones);
        Assert.Equal(0, report.RotatedRefreshTokens);
        Assert.True(await ExistsAsync(live));
    }

    [Fact]
    public async Task Dry_run_counts_and_deletes_nothing()
    {
        var token = await AccessTokenAsync(TimeSpan.FromMinutes(1));
        _server.FakeTime!.Advance(TimeSpan.FromMinutes(2));

        var report = await Purger.PurgeAsync(dryRun: true, maxItems: null, CancellationToken.None);

        Assert.True(report.DryRun);
        Assert.Equal(1, report.AccessTokens);
        Assert.True(await ExistsAsync(token));
    }

    [Fact]
    public async Task Runs_are_bounded_and_the_next_run_continues()
    {
        var tokens = await Task.WhenAll(Enumerable.Range(0, 250).Select(_ => AccessTokenAsync(TimeSpan.FromMinutes(1))));
        _server.FakeTime!.Advance(TimeSpan.FromHours(2));

        var first = await Purger.PurgeAsync(dryRun: false, maxItems: 100, CancellationToken.None);
        Assert.False(first.Complete);
        Assert.InRange(first.Total, 100, 199);

        var second = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.True(second.Complete);
        Assert.Equal(250, first.Total + second.Total);
        Assert.False(await ExistsAsync(tokens[0]));
    }

    [Fact]
    public async Task A_crash_mid_run_loses_nothing_and_the_next_run_finishes()
    {
        var expired = await Task.WhenAll(Enumerable.Range(0, 120).Select(_ => AccessTokenAsync(TimeSpan.FromMinutes(1))));
        var live = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => AccessTokenAsync(TimeSpan.FromDays(1))));
        _server.FakeTime!.Advance(TimeSpan.FromHours(2));

        // The process "dies" at the second batch.
        var batches = 0;
        _server.Faults.FailAsUnreachable(request => request.Uri.ToString().Contains("$batch", StringComparison.Ordinal) && ++batches >= 2);
        await Assert.ThrowsAnyAsync<Exception>(() => Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None));
        _server.Faults.Clear();

        await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.All(await Task.WhenAll(expired.Select(ExistsAsync)), Assert.False);
        Assert.All(await Task.WhenAll(live.Select(ExistsAsync)), Assert.True);
    }

    [Fact]
    public async Task Two_runs_at_once_both_succeed_and_delete_only_what_expired()
    {
        var expired = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => AccessTokenAsync(TimeSpan.FromMinutes(1))));
        var live = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => AccessTokenAsync(TimeSpan.FromDays(1))));
        _server.FakeTime!.Advance(TimeSpan.FromHours(2));

        await Task.WhenAll(
            Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None),
            Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None));

        Assert.All(await Task.WhenAll(expired.Select(ExistsAsync)), Assert.False);
        Assert.All(await Task.WhenAll(live.Select(ExistsAsync)), Assert.True);
    }

    [Fact]
    public async Task Storage_requests_follow_the_expired_rows_not_the_live_ones()
    {
        const int Expired = 250;
        const int Live = 2_000;
        await InsertAsync(Live, TimeSpan.FromDays(30));
        await InsertAsync(Expired, TimeSpan.FromMinutes(30));
        _server.FakeTime!.Advance(TimeSpan.FromHours(2));
        _server.Counter.Reset();

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        // One expiry hour: one range query per shard, and one batch per shard partition of up to 100 rows.
        var buckets = 1;
        var budget = (int)Math.Ceiling(Expired / 100.0) + (2 * TokenHandle.ShardCount * buckets);
        Assert.Equal(Expired, report.Total);
        Assert.True(_server.Counter.Count <= budget, $"{_server.Counter.Count} requests > {budget}:{Environment.NewLine}{string.Join(Environment.NewLine, _server.Counter.Requests)}");
    }

    private async Task InsertAsync(int count, TimeSpan lifetime)
    {
        var expires = Now + lifetime;
        var rows = Enumerable.Range(0, count)
            .Select(_ => TokenEntity.ForAccessToken(new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires), new TokenGrant("c", null, null, 2, Now, expires)), null)))
            .GroupBy(row => row.PartitionKey)
            .SelectMany(partition => partition.Chunk(100));
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, cancellationToken) =>
            await _server.Tables.Tokens.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken));
    }

    private NewTokenPair NewPair(TimeSpan? refreshLifetime, string? familyId = null)
    {
        var accessExpires = Now + TimeSpan.FromHours(1);
        DateTimeOffset? refreshExpires = refreshLifetime is { } lifetime ? Now + lifetime : null;
        return new NewTokenPair(
            new NewToken(TokenHandle.Issue(TokenKind.AccessToken, accessExpires), new TokenGrant("c", "u", "user", 2, Now, accessExpires)),
            new NewToken(TokenHandle.IssueRefresh(familyId ?? FamilyKey.NewId()), new TokenGrant("c", "u", "user", 2, Now, refreshExpires)));
    }

    private async Task<TokenHandle> AccessTokenAsync(TimeSpan lifetime)
    {
        var expires = Now + lifetime;
        var pair = new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires), new TokenGrant("c", null, null, 2, Now, expires)), null);
        await _server.Tokens.IssueAsync(pair, CancellationToken.None);
        return pair.Access.Handle;
    }

    private async Task<NewTokenPair> FamilyAsync(TimeSpan? lifetime)
    {
        var pair = NewPair(lifetime);
        await _server.Tokens.IssueAsync(pair, CancellationToken.None);
        return pair;
    }

    /// <summary>A never-expiring refresh token from before families, with its own row.</summary>
    private async Task<TokenHandle> LegacyAsync()
    {
        var handle = Testing.Contracts.LegacyTokens.NewRefresh(expiresAt: null);
        var row = TokenEntity.From(Storage.TableKeys.TokenPartition(handle.Ref), Storage.TableKeys.TokenRow(handle.Ref), new TokenGrant("c", "u", "user", 2, Now, null));
        row.Rotated = false;
        await _server.Tables.Tokens.AddEntityAsync(row);
        return handle;
    }

    private async Task<bool> FamilyExistsAsync(NewTokenPair pair) =>
        (await _server.Tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(Storage.TableKeys.FamilyPartition(pair.Family!.Value), Storage.TableKeys.SingletonRow)).HasValue;

    private async Task<TokenHandle> CodeAsync(TimeSpan lifetime)
    {
        var expires = Now + lifetime;
        var code = new NewCode(TokenHandle.Issue(TokenKind.AuthorizationCode, expires), new TokenGrant("c", "u", "user", 2, Now, expires), "https://c.example/cb", true, null);
        await _server.Tokens.SaveCodeAsync(code, CancellationToken.None);
        return code.Handle;
    }

    private async Task<bool> ExistsAsync(TokenHandle token) =>
        (await _server.Tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(Storage.TableKeys.TokenPartition(token.Ref), Storage.TableKeys.TokenRow(token.Ref))).HasValue;
}
