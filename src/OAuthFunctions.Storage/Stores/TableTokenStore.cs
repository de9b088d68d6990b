using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>
/// Codes and tokens in the Tokens table (keys: <see cref="TableKeys"/>). Every lookup is one point read. Single
/// use is decided by storage: a redemption or rotation commits with an ETag-conditional update of the code or old
/// refresh token (412 = someone else won), never by a delete, which succeeds on a missing row. New rows are written
/// before that commit and removed again if it fails, so a failed request leaves no usable token behind and a
/// successful one never spends a code without its tokens being stored.
/// </summary>
public sealed partial class TableTokenStore(OAuthTables tables, OAuthOptions options, TimeProvider time, ILogger<TableTokenStore> logger) : ITokenStore
{
    /// <summary>How far a family revocation follows successors before it stops (a guard, far above any real chain).</summary>
    private const int MaxFamilySteps = 10_000;

    /// <summary>Pauses before re-reading a row whose commit failed with a fault (about 3 s in all).</summary>
    private static readonly TimeSpan[] RecheckPauses = [TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    private TableClient Table => tables.Tokens;

    public Task SaveCodeAsync(NewCode code, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => AddNewAsync(TokenEntity.ForCode(code), cancellationToken), cancellationToken);

    public async Task<StoredCode?> FindCodeAsync(TokenHandle code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return (await ReadAsync(code.Ref, cancellationToken))?.ToCode(code.Ref);
    }

    public async Task<StoredAccessToken?> FindAccessTokenAsync(TokenHandle token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return (await ReadAsync(token.Ref, cancellationToken))?.ToAccessToken(token.Ref);
    }

    public async Task<StoredRefreshToken?> FindRefreshTokenAsync(TokenHandle token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return (await ReadAsync(token.Ref, cancellationToken))?.ToRefreshToken(token.Ref);
    }

    public Task IssueAsync(NewTokenPair tokens, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => InsertPairAsync(tokens, includeRefresh: true, cancellationToken), cancellationToken);

    public Task<CommitResult> RedeemCodeAsync(StoredCode code, NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(tokens);
        return StorageFaults.GuardAsync(
            async () =>
            {
                await InsertPairAsync(tokens, includeRefresh: true, cancellationToken);
                var ours = TableKeys.Encode(tokens.Access.Handle.Ref);
                var spent = new TableEntity(TableKeys.TokenPartition(code.Ref), TableKeys.TokenRow(code.Ref))
                {
                    [nameof(TokenEntity.Used)] = true,
                    [nameof(TokenEntity.IssuedAccessToken)] = ours,
                    [nameof(TokenEntity.IssuedRefreshToken)] = tokens.Refresh is { } refresh ? TableKeys.Encode(refresh.Handle.Ref) : null,
                };
                try
                {
                    // The commit: only the redemption that read the code's current version can mark it used.
                    await Table.UpdateEntityAsync(spent, new ETag(code.Version), TableUpdateMode.Merge, cancellationToken);
                    return CommitResult.Committed;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    if (await CommitLandedAsync(code.Ref, row => row.IssuedAccessToken == ours, cancellationToken) == true)
                    {
                        return CommitResult.Committed;
                    }

                    await RemoveAsync(tokens, includeRefresh: true, tombstone: null, cancellationToken);
                    return CommitResult.AlreadyUsed;
                }
                catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken))
                {
                    if (await LandedDespiteFaultAsync(code.Ref, row => row.IssuedAccessToken == ours, tokens, includeRefresh: true, tombstone: null, ex))
                    {
                        return CommitResult.Committed;
                    }

                    throw;
                }
            },
            cancellationToken);
    }

    public Task<CommitResult> RotateRefreshTokenAsync(StoredRefreshToken current, NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(tokens);
        var successor = tokens.Refresh ?? throw new ArgumentException("A rotation issues a refresh token.", nameof(tokens));
        var partition = TableKeys.TokenPartition(current.Ref);
        var row = TableKeys.TokenRow(current.Ref);

        // A successor in the same partition (a family that never expires, or a rotation within the same expiry
        // hour) is inserted in the same entity-group transaction as the commit: atomic.
        var sameBatch = TableKeys.TokenPartition(successor.Handle.Ref) == partition;
        var tombstone = current.Grant.ExpiresAt is null ? Tombstone(current.Ref) : null;
        return StorageFaults.GuardAsync(
            async () =>
            {
                await InsertPairAsync(tokens, includeRefresh: !sameBatch, cancellationToken);
                var ours = TableKeys.Encode(successor.Handle.Ref);
                var rotated = new TableEntity(partition, row)
                {
                    [nameof(TokenEntity.Rotated)] = true,
                    [nameof(TokenEntity.Successor)] = ours,
                    [nameof(TokenEntity.RotatedAt)] = time.GetUtcNow(),
                };
                try
                {
                    if (tombstone is not null)
                    {
                        await Table.UpsertEntityAsync(tombstone, TableUpdateMode.Replace, cancellationToken);
                    }

                    // The old access token stops working (the original's rule). Done before the commit: if the
                    // commit fails, the client retries with the same refresh token and gets a new one anyway.
                    if (current.AccessToken is { } oldAccess)
                    {
                        await Table.DeleteEntityAsync(TableKeys.TokenPartition(oldAccess), TableKeys.TokenRow(oldAccess), ETag.All, cancellationToken);
                    }

                    var etag = new ETag(current.Version);
                    if (sameBatch)
                    {
                        await Table.SubmitTransactionAsync(
                            [
                                new TableTransactionAction(TableTransactionActionType.UpdateMerge, rotated, etag),
                                new TableTransactionAction(TableTransactionActionType.Add, TokenEntity.ForRefreshToken(successor, tokens.Access)),
                            ],
                            cancellationToken);
                    }
                    else
                    {
                        await Table.UpdateEntityAsync(rotated, etag, TableUpdateMode.Merge, cancellationToken);
                    }

                    return CommitResult.Committed;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    if (await CommitLandedAsync(current.Ref, row => row.Successor == ours, cancellationToken) == true)
                    {
                        return CommitResult.Committed;
                    }

                    await RemoveAsync(tokens, includeRefresh: !sameBatch, tombstone, cancellationToken);
                    return CommitResult.AlreadyUsed;
                }
                catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken))
                {
                    if (await LandedDespiteFaultAsync(current.Ref, row => row.Successor == ours, tokens, !sameBatch, tombstone, ex))
                    {
                        return CommitResult.Committed;
                    }

                    throw;
                }
            },
            cancellationToken);
    }

    public Task RevokeAccessTokenAsync(TokenRef accessToken, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => DeleteAsync(accessToken, cancellationToken), cancellationToken);

    public Task<int> RevokeRefreshFamilyAsync(StoredRefreshToken start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return StorageFaults.GuardAsync(
            async () =>
            {
                var revoked = 0;
                var node = start;
                for (var step = 0; node is not null && step < MaxFamilySteps; step++)
                {
                    if (node.Rotated)
                    {
                        var next = node.Successor is { } successor ? await ReadAsync(successor, cancellationToken) : null;
                        await DeleteAsync(node.Ref, cancellationToken);
                        revoked++;
                        node = next?.ToRefreshToken(node.Successor!.Value);
                        continue;
                    }

                    try
                    {
                        // Conditional, so a rotation that slips in between is followed rather than missed.
                        await Table.DeleteEntityAsync(TableKeys.TokenPartition(node.Ref), TableKeys.TokenRow(node.Ref), new ETag(node.Version), cancellationToken);
                        if (node.AccessToken is { } access)
                        {
                            await DeleteAsync(access, cancellationToken);
                        }

                        revoked++;
                        break;
                    }
                    catch (RequestFailedException ex) when (ex.Status == 412)
                    {
                        node = (await ReadAsync(node.Ref, cancellationToken))?.ToRefreshToken(node.Ref);
                    }
                }

                // A rotated token presented again is reuse (a theft signal); revoking a live one is routine.
                if (start.Rotated)
                {
                    LogFamilyRevoked(logger, revoked);
                }
                else
                {
                    LogRefreshTokenRevoked(logger, revoked);
                }

                return revoked;
            },
            cancellationToken);
    }

    public Task RevokeIssuedFromCodeAsync(StoredCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return StorageFaults.GuardAsync(
            async () =>
            {
                var issuedAccess = code.IssuedAccessToken;
                var issuedRefresh = code.IssuedRefreshToken;
                if (issuedAccess is null)
                {
                    var fresh = (await ReadAsync(code.Ref, cancellationToken))?.ToCode(code.Ref);
                    issuedAccess = fresh?.IssuedAccessToken;
                    issuedRefresh = fresh?.IssuedRefreshToken;
                }

                if (issuedAccess is { } access)
                {
                    await DeleteAsync(access, cancellationToken);
                }

                if (issuedRefresh is { } refresh && await ReadAsync(refresh, cancellationToken) is { } row)
                {
                    await RevokeRefreshFamilyAsync(row.ToRefreshToken(refresh), cancellationToken);
                }

                LogCodeReplayed(logger);
            },
            cancellationToken);
    }

    /// <summary>
    /// Whether a commit that failed or conflicted did in fact land (its answer lost, or our own retry meeting our
    /// own write): the row then names our tokens. Null when storage cannot tell us now.
    /// </summary>
    private async Task<bool?> CommitLandedAsync(TokenRef row, Func<TokenEntity, bool> isOurs, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(row, cancellationToken) is { } entity && isOurs(entity);
        }
        catch (StorageUnavailableException)
        {
            return null;
        }
    }

    /// <summary>
    /// After a commit failed with a fault: true if it landed anyway (the exchange succeeded). If it surely did not,
    /// the new rows are removed. If storage cannot say, they are left: their values were never shown to anyone, and a
    /// code must never be spent without its tokens.
    /// </summary>
    private async Task<bool> LandedDespiteFaultAsync(TokenRef row, Func<TokenEntity, bool> isOurs, NewTokenPair tokens, bool includeRefresh, TokenEntity? tombstone, Exception fault)
    {
        // A lost answer is usually followed by a storage that answers again soon: ask a few times before giving up.
        bool? landed = null;
        foreach (var pause in RecheckPauses)
        {
            await Task.Delay(pause, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            landed = await CommitLandedAsync(row, isOurs, timeout.Token);
            if (landed is not null)
            {
                break;
            }
        }

        if (landed == false)
        {
            await RemoveQuietlyAsync(tokens, includeRefresh, tombstone);
        }
        else if (landed is null)
        {
            LogCommitUnknown(logger, fault.GetType().Name);
        }

        return landed == true;
    }

    private Task<TokenEntity?> ReadAsync(TokenRef token, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(
            async () =>
            {
                var row = await Table.GetEntityIfExistsAsync<TokenEntity>(TableKeys.TokenPartition(token), TableKeys.TokenRow(token), cancellationToken: cancellationToken);
                return row.HasValue ? row.Value : null;
            },
            cancellationToken);

    private async Task InsertPairAsync(NewTokenPair tokens, bool includeRefresh, CancellationToken cancellationToken)
    {
        await AddNewAsync(TokenEntity.ForAccessToken(tokens.Access), cancellationToken);
        if (includeRefresh && tokens.Refresh is { } refresh)
        {
            try
            {
                await AddNewAsync(TokenEntity.ForRefreshToken(refresh, tokens.Access), cancellationToken);
            }
            catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken))
            {
                await RemoveQuietlyAsync(tokens, includeRefresh: false, tombstone: null);
                throw;
            }
        }
    }

    /// <summary>
    /// Inserts a row whose key was just minted from 256 random bits. A 409 can only be our own retried insert
    /// whose first answer was lost, so it counts as success.
    /// </summary>
    private async Task AddNewAsync(TokenEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }
    }

    /// <summary>Unconditional delete: for revocation and cleanup, never to claim anything (it succeeds on a missing row).</summary>
    private async Task DeleteAsync(TokenRef token, CancellationToken cancellationToken) =>
        await Table.DeleteEntityAsync(TableKeys.TokenPartition(token), TableKeys.TokenRow(token), ETag.All, cancellationToken);

    private async Task RemoveAsync(NewTokenPair tokens, bool includeRefresh, TokenEntity? tombstone, CancellationToken cancellationToken)
    {
        await DeleteAsync(tokens.Access.Handle.Ref, cancellationToken);
        if (includeRefresh && tokens.Refresh is { } refresh)
        {
            await DeleteAsync(refresh.Handle.Ref, cancellationToken);
        }

        if (tombstone is not null)
        {
            await Table.DeleteEntityAsync(tombstone.PartitionKey, tombstone.RowKey, ETag.All, cancellationToken);
        }
    }

    /// <summary>
    /// Best-effort cleanup after a failed commit while storage is failing. What cannot be removed now was never
    /// shown to anyone (its value existed only in this request) and is purged when its hour has passed.
    /// </summary>
    private async Task RemoveQuietlyAsync(NewTokenPair tokens, bool includeRefresh, TokenEntity? tombstone)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await RemoveAsync(tokens, includeRefresh, tombstone, timeout.Token);
        }
        catch (Exception ex) when (StorageFaults.IsTransient(ex, CancellationToken.None) || ex is OperationCanceledException)
        {
            LogCleanupFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>
    /// A row in the hour that ends <c>RotatedRefreshTokenRetention</c> from now which tells purge to delete the
    /// rotated token then: a token that never expires would otherwise sit in the "never" partition forever.
    /// </summary>
    private TokenEntity Tombstone(TokenRef rotated)
    {
        var purgeAt = time.GetUtcNow() + options.RotatedRefreshTokenRetention;
        return new TokenEntity
        {
            PartitionKey = TableKeys.TokenPartition(rotated.Shard, TokenHandle.BucketOf(purgeAt)),
            RowKey = TableKeys.TombstoneRow(rotated),
            IssuedAt = time.GetUtcNow(),
            ExpiresAt = purgeAt,
            Target = TableKeys.Encode(rotated),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rotated refresh token presented again: its family was revoked ({Count} refresh tokens deleted)")]
    private static partial void LogFamilyRevoked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refresh token revoked ({Count} refresh tokens deleted)")]
    private static partial void LogRefreshTokenRevoked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization code presented again; the tokens issued from it were revoked")]
    private static partial void LogCodeReplayed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A commit failed ({ExceptionType}) and storage could not say whether it landed; the client got 503, and its retry will be refused as a reuse")]
    private static partial void LogCommitUnknown(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the rows of a failed exchange ({ExceptionType}); they were never disclosed and will be purged when they expire")]
    private static partial void LogCleanupFailed(ILogger logger, string exceptionType);
}
