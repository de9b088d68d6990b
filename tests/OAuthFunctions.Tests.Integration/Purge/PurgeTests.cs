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

        // One range query per possible shard, and per partition (one expiry hour, default shards) one batch per 100 rows.
        var buckets = 1;
        var budget = TokenHandle.MaxShards + (int)Math.Ceiling(Expired / 100.0) + (TokenHandle.DefaultShards * buckets);
        Assert.Equal(Expired, report.Total);
        Assert.True(_server.Counter.Count <= budget, $"{_server.Counter.Count} requests > {budget}:{Environment.NewLine}{string.Join(Environment.NewLine, _server.Counter.Requests)}");
    }

    /// <summary>
    /// docs/PERFORMANCE.md, "Scale": with every one of the 62 shards in use over several hours, purge still costs one range
    /// query per shard (every past hour of a shard is one key range) and, per partition, a batch per 100 expired rows; the
    /// live rows, in later hours of the same shards, cost nothing.
    /// </summary>
    [Fact]
    public async Task With_every_shard_in_use_purge_costs_a_query_per_shard_and_a_batch_per_hundred_rows_of_a_partition()
    {
        const int Hours = 3;
        var expired = new List<TokenEntity>();
        var random = new Random(62);
        for (var shard = 0; shard < TokenHandle.MaxShards; shard++)
        {
            for (var hour = 0; hour < Hours; hour++)
            {
                // Most partitions fit one batch; some need two.
                var count = shard % 10 == 0 ? 101 + random.Next(50) : 1 + random.Next(20);
                var expires = Now + TimeSpan.FromMinutes(30) + TimeSpan.FromHours(hour);
                expired.AddRange(Rows(count, expires, shard));
            }
        }

        var live = Enumerable.Range(0, TokenHandle.MaxShards).SelectMany(shard => Rows(20, Now + TimeSpan.FromDays(30), shard)).ToList();
        await InsertAsync(expired.Concat(live));
        _server.FakeTime!.Advance(TimeSpan.FromHours(Hours + 1));
        _server.Counter.Reset();

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: 100_000, CancellationToken.None);

        var batches = expired.GroupBy(row => row.PartitionKey).Sum(partition => (int)Math.Ceiling(partition.Count() / 100.0));
        var sent = string.Join(Environment.NewLine, _server.Counter.Requests);
        Assert.Equal(expired.Count, report.Total);
        Assert.True(_server.Counter.Requests.Count(r => r.EndsWith("Tokens()", StringComparison.Ordinal)) == TokenHandle.MaxShards, sent);
        Assert.True(_server.Counter.Requests.Count(r => r.EndsWith("$batch", StringComparison.Ordinal)) == batches, sent);
        Assert.Equal(TokenHandle.MaxShards + batches, _server.Counter.Count);
        Assert.True(await ExistsAsync(live[^1]));
    }

    /// <summary>
    /// Tokens name their own shard, so a server whose setting is now 1 still reads a token written in shard 61, and its
    /// purge still finds it once it expires.
    /// </summary>
    [Fact]
    public async Task Tokens_of_a_larger_shard_setting_keep_working_and_are_purged()
    {
        await using var narrow = await OAuthTestServer.StartAsync(o =>
        {
            o.FakeTime = true;
            o.TablePrefix = _server.TablePrefix;
            o.With("OAuth:TokenShards", "1");
        });
        var expires = narrow.FakeTime!.GetUtcNow() + TimeSpan.FromMinutes(10);
        var wide = new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires, shard: TokenHandle.MaxShards - 1), new TokenGrant("c", null, null, 2, narrow.FakeTime.GetUtcNow(), expires)), null);
        await _server.Tokens.IssueAsync(wide, CancellationToken.None);

        Assert.NotNull(await narrow.Tokens.FindAccessTokenAsync(wide.Access.Handle, CancellationToken.None));

        narrow.FakeTime.Advance(TimeSpan.FromHours(2));
        var report = await narrow.Services.GetRequiredService<TokenPurger>().PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, report.AccessTokens);
        Assert.False(await ExistsAsync(wide.Access.Handle));
    }

    private IEnumerable<TokenEntity> Rows(int count, DateTimeOffset expires, int shard) =>
        Enumerable.Range(0, count).Select(_ => TokenEntity.ForAccessToken(new NewTokenPair(
            new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires, shard), new TokenGrant("c", null, null, 2, Now, expires)), null)));

    private async Task InsertAsync(IEnumerable<TokenEntity> rows) =>
        await Parallel.ForEachAsync(
            rows.GroupBy(row => row.PartitionKey).SelectMany(partition => partition.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (chunk, cancellationToken) => await _server.Tables.Tokens.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken));

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

    private async Task<bool> ExistsAsync(TokenEntity row) =>
        (await _server.Tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(row.PartitionKey, row.RowKey)).HasValue;

    private async Task<bool> ExistsAsync(TokenHandle token) =>
        (await _server.Tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(Storage.TableKeys.TokenPartition(token.Ref), Storage.TableKeys.TokenRow(token.Ref))).HasValue;
}
