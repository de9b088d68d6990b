using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Purge;

/// <summary>
/// Purge (SPEC §8) on a fake clock against Azurite: it deletes exactly what has expired, never anything live,
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
    public async Task Expired_codes_used_or_not_and_expired_refresh_tokens_go()
    {
        var code = await CodeAsync(TimeSpan.FromMinutes(10));
        var refresh = await RefreshTokenAsync(TimeSpan.FromDays(1));
        var live = await RefreshTokenAsync(TimeSpan.FromDays(3));
        _server.FakeTime!.Advance(TimeSpan.FromDays(2));

        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Equal(1, report.Codes);
        Assert.Equal(1, report.RefreshTokens);
        Assert.False(await ExistsAsync(code));
        Assert.False(await ExistsAsync(refresh));
        Assert.True(await ExistsAsync(live));
    }

    [Fact]
    public async Task Never_expiring_refresh_tokens_stay_and_rotated_ones_go_after_the_retention()
    {
        var live = await RefreshTokenAsync(lifetime: null);
        var rotated = await RefreshTokenAsync(lifetime: null);
        var stored = await _server.Tokens.FindRefreshTokenAsync(rotated, CancellationToken.None);
        var successor = NewPair(refreshLifetime: null, shard: rotated.Shard);
        Assert.Equal(Core.Stores.CommitResult.Committed, await _server.Tokens.RotateRefreshTokenAsync(stored!, successor, CancellationToken.None));

        _server.FakeTime!.Advance(TimeSpan.FromDays(89));
        await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.True(await ExistsAsync(rotated), "Reuse detection still needs the rotated token.");

        _server.FakeTime.Advance(TimeSpan.FromDays(2));
        var report = await Purger.PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        Assert.Equal(1, report.RotatedRefreshTokens);
        Assert.Equal(1, report.Tombstones);
        Assert.False(await ExistsAsync(rotated));
        Assert.True(await ExistsAsync(live));
        Assert.True(await ExistsAsync(successor.Refresh!.Handle));
    }

    [Fact]
    public async Task A_tombstone_never_deletes_a_refresh_token_that_was_not_rotated()
    {
        var live = await RefreshTokenAsync(lifetime: null);

        // What a rotation that failed after writing its tombstone leaves behind.
        var purgeAt = Now + TimeSpan.FromHours(1);
        await _server.Tables.Tokens.AddEntityAsync(new TokenEntity
        {
            PartitionKey = Storage.TableKeys.TokenPartition(live.Shard, TokenHandle.BucketOf(purgeAt)),
            RowKey = Storage.TableKeys.TombstoneRow(live.Ref),
            IssuedAt = Now,
            ExpiresAt = purgeAt,
            Target = Storage.TableKeys.Encode(live.Ref),
        });
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
            .Select(_ => TokenEntity.ForAccessToken(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires), new TokenGrant("c", null, null, 2, Now, expires))))
            .GroupBy(row => row.PartitionKey)
            .SelectMany(partition => partition.Chunk(100));
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, cancellationToken) =>
            await _server.Tables.Tokens.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken));
    }

    private NewTokenPair NewPair(TimeSpan? refreshLifetime, int? shard = null)
    {
        var accessExpires = Now + TimeSpan.FromHours(1);
        DateTimeOffset? refreshExpires = refreshLifetime is { } lifetime ? Now + lifetime : null;
        return new NewTokenPair(
            new NewToken(TokenHandle.Issue(TokenKind.AccessToken, accessExpires), new TokenGrant("c", "u", "user", 2, Now, accessExpires)),
            new NewToken(TokenHandle.Issue(TokenKind.RefreshToken, refreshExpires, shard), new TokenGrant("c", "u", "user", 2, Now, refreshExpires)));
    }

    private async Task<TokenHandle> AccessTokenAsync(TimeSpan lifetime)
    {
        var expires = Now + lifetime;
        var pair = new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires), new TokenGrant("c", null, null, 2, Now, expires)), null);
        await _server.Tokens.IssueAsync(pair, CancellationToken.None);
        return pair.Access.Handle;
    }

    private async Task<TokenHandle> RefreshTokenAsync(TimeSpan? lifetime)
    {
        var pair = NewPair(lifetime);
        await _server.Tokens.IssueAsync(pair, CancellationToken.None);
        return pair.Refresh!.Handle;
    }

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
