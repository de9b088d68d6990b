using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>
/// Codes, access tokens and refresh token families in the Tokens table (keys: <see cref="TableKeys"/>). Every lookup
/// is one point read. Single use is decided by storage: a redemption, rotation or upgrade writes its new rows, then
/// commits with an ETag-conditional update (412 = someone else won), never with a delete, which succeeds on a missing
/// row (<see cref="SingleUse"/>). Every public method translates storage faults once, at its edge, into
/// <see cref="StorageUnavailableException"/>.
/// </summary>
public sealed partial class TableTokenStore(OAuthTables tables, OAuthOptions options, TimeProvider time, ILogger<TableTokenStore> logger) : ITokenStore
{
    private readonly SingleUse _singleUse = new(tables.Tokens, logger);

    private TableClient Table => tables.Tokens;

    public Task SaveCodeAsync(NewCode code, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => SingleUse.AddNewAsync(Table, TokenEntity.ForCode(code), cancellationToken), cancellationToken);

    public Task<StoredCode?> FindCodeAsync(TokenHandle code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return FindAsync(code.Ref, (row, at) => row.ToCode(at), cancellationToken);
    }

    public Task<StoredAccessToken?> FindAccessTokenAsync(TokenRef token, CancellationToken cancellationToken) =>
        FindAsync(token, (row, at) => row.ToAccessToken(at), cancellationToken);

    public Task<TokenRef?> FindImportedAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return StorageFaults.GuardAsync(
            async () =>
            {
                var row = await Table.GetEntityIfExistsAsync<TokenEntity>(TableKeys.ImportIndexPartition(hash), hash, [nameof(TokenEntity.Target)], cancellationToken);
                return row.HasValue && TokenRef.TryParse(row.Value!.Target, out var target) ? target : (TokenRef?)null;
            },
            cancellationToken);
    }

    public Task<StoredLegacyRefreshToken?> FindLegacyRefreshTokenAsync(TokenRef token, CancellationToken cancellationToken) =>
        FindAsync(token, (row, at) => row.ToLegacyRefreshToken(at), cancellationToken);

    public Task<StoredFamily?> FindFamilyAsync(FamilyKey family, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(async () => (await ReadFamilyAsync(family, cancellationToken))?.ToFamily(family), cancellationToken);

    public Task IssueAsync(NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return StorageFaults.GuardAsync(() => _singleUse.InsertAllAsync(NewRows(tokens, purgeAt: tokens.Refresh?.Grant.ExpiresAt), cancellationToken), cancellationToken);
    }

    public Task<CommitResult> RedeemCodeAsync(StoredCode code, NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(tokens);
        var ours = tokens.Access.Handle.Ref.ToString();
        var partition = TableKeys.TokenPartition(code.Ref);
        var spent = new TableEntity(partition, TableKeys.TokenRow(code.Ref))
        {
            [nameof(TokenEntity.Used)] = true,
            [nameof(TokenEntity.IssuedAccessToken)] = ours,
        };
        if (tokens.Family is { } issued)
        {
            spent[nameof(TokenEntity.Family)] = issued.ToString();
        }

        var commit = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, spent, new ETag(code.Version)) };

        // A family that expires is found by purge through a tombstone. The first one sits in the code's own partition,
        // written atomically with the commit at no extra request; purge moves it to the family's expiry hour.
        if (tokens.Family is { } family && tokens.Refresh!.Grant.ExpiresAt is not null)
        {
            commit.Add(new(TableTransactionActionType.Add, TokenEntity.Tombstone(partition, family.ToString(), time.GetUtcNow(), code.Grant.ExpiresAt ?? time.GetUtcNow())));
        }

        return StorageFaults.GuardAsync(
            () => _singleUse.CommitAsync(
                NewRows(tokens, purgeAt: null),
                ct => commit.Count == 1
                    ? Table.UpdateEntityAsync(spent, new ETag(code.Version), TableUpdateMode.Merge, ct)
                    : Table.SubmitTransactionAsync(commit, ct),
                async ct => (await ReadAsync(code.Ref, ct))?.IssuedAccessToken == ours,
                cancellationToken),
            cancellationToken);
    }

    public Task<CommitResult> RotateAsync(StoredFamily family, NewTokenPair tokens, Task<bool> proceed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(proceed);
        var ours = tokens.Refresh?.Handle.Hash ?? throw new ArgumentException("A rotation issues a refresh token.", nameof(tokens));
        var rotation = TokenEntity.Rotation(family.Key, tokens, family.Rotations + 1);
        return StorageFaults.GuardAsync(
            () => _singleUse.CommitAsync(
                [TokenEntity.ForAccessToken(tokens)],
                ct => Table.UpdateEntityAsync(rotation, new ETag(family.Version), TableUpdateMode.Merge, ct),
                async ct => (await ReadFamilyAsync(family.Key, ct))?.Current == ours,
                cancellationToken,
                // The old access token stops working (django-oauth2-provider's rule), before the commit: if the commit then
                // fails, the client retries with the same refresh token and gets a new one anyway.
                alongside: ct => DeleteAsync(family.CurrentAccessToken, ct),
                proceed: proceed),
            cancellationToken);
    }

    public Task<CommitResult> UpgradeLegacyAsync(StoredLegacyRefreshToken token, NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(tokens);
        var family = tokens.Family ?? throw new ArgumentException("An upgrade starts a family.", nameof(tokens));
        var ours = family.ToString();
        var rows = NewRows(tokens, purgeAt: tokens.Refresh!.Grant.ExpiresAt);

        // A used token that never expires would sit in the "never" partition for good: a tombstone tells purge to
        // delete it once reuse detection no longer needs it.
        if (token.Grant.ExpiresAt is null)
        {
            var purgeAt = time.GetUtcNow() + options.RotatedRefreshTokenRetention;
            rows.Add(TokenEntity.Tombstone(TableKeys.TokenPartition(token.Ref.Shard, TokenHandle.BucketOf(purgeAt)), token.Ref.ToString(), time.GetUtcNow(), purgeAt));
        }

        var used = new TableEntity(TableKeys.TokenPartition(token.Ref), TableKeys.TokenRow(token.Ref))
        {
            [nameof(TokenEntity.Rotated)] = true,
            [nameof(TokenEntity.Successor)] = ours,
            [nameof(TokenEntity.RotatedAt)] = time.GetUtcNow(),
        };
        return StorageFaults.GuardAsync(
            () => _singleUse.CommitAsync(
                rows,
                ct => Table.UpdateEntityAsync(used, new ETag(token.Version), TableUpdateMode.Merge, ct),
                async ct => (await ReadAsync(token.Ref, ct))?.Successor == ours,
                cancellationToken,
                alongside: ct => DeleteAsync(token.AccessToken, ct)),
            cancellationToken);
    }

    public Task RevokeAccessTokenAsync(TokenRef accessToken, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => DeleteAsync(accessToken, cancellationToken), cancellationToken);

    /// <summary>
    /// Two requests when nothing races: delete the live access token, then the family row, conditional on the version
    /// read, so that a rotation committing in between is not missed. If one did (412), the family is first marked
    /// revoked with an unconditional merge, which fails every rotation still holding an older version and makes every
    /// later reader refuse it; then its live access token (now final) and the row go. At most six requests, whatever
    /// the family's length or the number of racing rotations.
    /// </summary>
    public Task RevokeFamilyAsync(StoredFamily family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        var partition = TableKeys.FamilyPartition(family.Key);
        return StorageFaults.GuardAsync(
            async () =>
            {
                if (!family.Revoked)
                {
                    await DeleteAsync(family.CurrentAccessToken, cancellationToken);
                    try
                    {
                        // A 404 (already gone: revoked by someone else) is reported as success by the SDK, which is right here.
                        await Table.DeleteEntityAsync(partition, TableKeys.SingletonRow, new ETag(family.Version), cancellationToken);
                        return;
                    }
                    catch (RequestFailedException ex) when (ex.Status == 412)
                    {
                    }

                    try
                    {
                        await Table.UpdateEntityAsync(new TableEntity(partition, TableKeys.SingletonRow) { [nameof(TokenEntity.Revoked)] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
                    }
                    catch (RequestFailedException ex) when (ex.Status == 404)
                    {
                        return;
                    }
                }

                if (await ReadFamilyAsync(family.Key, cancellationToken) is { } frozen)
                {
                    await DeleteAsync(frozen.ToFamily(family.Key).CurrentAccessToken, cancellationToken);
                    await Table.DeleteEntityAsync(partition, TableKeys.SingletonRow, ETag.All, cancellationToken);
                }
            },
            cancellationToken);
    }

    public Task<bool> RevokeLegacyRefreshTokenAsync(StoredLegacyRefreshToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return StorageFaults.GuardAsync(
            async () =>
            {
                await DeleteAsync(token.AccessToken, cancellationToken);
                try
                {
                    // Conditional: an upgrade that committed in between made it a family, which the caller must revoke.
                    await Table.DeleteEntityAsync(TableKeys.TokenPartition(token.Ref), TableKeys.TokenRow(token.Ref), new ETag(token.Version), cancellationToken);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// The rows a pair adds: its access token and, with a refresh token, its family. A family that expires also gets a
    /// tombstone at <paramref name="purgeAt"/> unless the caller writes its first one itself.
    /// </summary>
    private List<TokenEntity> NewRows(NewTokenPair tokens, DateTimeOffset? purgeAt)
    {
        var rows = new List<TokenEntity> { TokenEntity.ForAccessToken(tokens) };
        if (tokens.Family is { } family)
        {
            rows.Add(TokenEntity.ForFamily(tokens));
            if (purgeAt is { } at)
            {
                var partition = TableKeys.TokenPartition(tokens.Access.Handle.Shard, TokenHandle.BucketOf(at));
                rows.Add(TokenEntity.Tombstone(partition, family.ToString(), time.GetUtcNow(), at));
            }
        }

        return rows;
    }

    private Task<T?> FindAsync<T>(TokenRef token, Func<TokenEntity, TokenRef, T> map, CancellationToken cancellationToken)
        where T : class =>
        StorageFaults.GuardAsync(async () => await ReadAsync(token, cancellationToken) is { } row ? map(row, token) : null, cancellationToken);

    private async Task<TokenEntity?> ReadAsync(TokenRef token, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TokenEntity>(TableKeys.TokenPartition(token), TableKeys.TokenRow(token), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private async Task<TokenEntity?> ReadFamilyAsync(FamilyKey family, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TokenEntity>(TableKeys.FamilyPartition(family), TableKeys.SingletonRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Unconditional delete: for revocation and cleanup, never to claim anything (it succeeds on a missing row).</summary>
    private async Task DeleteAsync(TokenRef? token, CancellationToken cancellationToken)
    {
        if (token is { } row)
        {
            await Table.DeleteEntityAsync(TableKeys.TokenPartition(row), TableKeys.TokenRow(row), ETag.All, cancellationToken);
        }
    }
}
