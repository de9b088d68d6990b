using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>
/// The one sequence behind every single-use step (code redemption, family rotation, pre-family upgrade), written once
/// and analysed in docs/ARCHITECTURE.md, "Single use":
/// <list type="number">
/// <item>write the new rows (they are unusable until the commit names them: their values exist only in this request),
/// together with the work that goes alongside them and the caller's check; if the check fails, remove the rows:
/// <see cref="CommitResult.Withdrawn"/>;</item>
/// <item>commit with a conditional write (an ETag-matched update, or a batch holding one);</item>
/// <item>if the commit lost (412, or 404: the row is gone), make sure it was not our own commit meeting itself, then
/// remove the new rows: <see cref="CommitResult.AlreadyUsed"/>;</item>
/// <item>if the commit faulted, re-read a few times: landed means success (only its answer was lost); surely not
/// landed means remove the rows and rethrow (503, the client retries); unknown means leave them (never disclosed,
/// purged at expiry) and rethrow.</item>
/// </list>
/// Faults are left raw for the store's one translation layer at its edge.
/// </summary>
internal sealed partial class SingleUse(TableClient table, ILogger logger)
{
    /// <summary>Pauses before re-reading a row whose commit failed with a fault (about 3 s in all).</summary>
    private static readonly TimeSpan[] RecheckPauses = [TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    /// <param name="newRows">Rows to write before the commit.</param>
    /// <param name="commit">The conditional write; a 404 or 412 means another request won.</param>
    /// <param name="landed">Whether the committed row names our new rows (read again).</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <param name="alongside">Work done with the inserts, before the commit (deleting what the commit replaces).</param>
    /// <param name="proceed">A check running alongside the inserts; false withdraws before the commit.</param>
    public async Task<CommitResult> CommitAsync(
        IReadOnlyList<TokenEntity> newRows,
        Func<CancellationToken, Task> commit,
        Func<CancellationToken, Task<bool>> landed,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task>? alongside = null,
        Task<bool>? proceed = null)
    {
        newRows = await InsertAllAsync(newRows, cancellationToken, alongside, proceed);
        if (proceed is not null && !await proceed)
        {
            // Never disclosed: what cannot be removed now goes with its hour.
            await RemoveQuietlyAsync(newRows);
            return CommitResult.Withdrawn;
        }

        try
        {
            await commit(cancellationToken);
            return CommitResult.Committed;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            if (await LandedAsync(landed, cancellationToken) == true)
            {
                return CommitResult.Committed;
            }

            await RemoveAsync(newRows, cancellationToken);
            return CommitResult.AlreadyUsed;
        }
        catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken))
        {
            if (await LandedDespiteFaultAsync(landed, newRows, ex))
            {
                return CommitResult.Committed;
            }

            throw;
        }
    }

    /// <summary>
    /// Writes rows in parallel, with the work and the check that go alongside them, and returns the rows this call wrote
    /// (a row already there is not ours to remove later); if any of it faults, removes what it can and rethrows.
    /// </summary>
    public async Task<IReadOnlyList<TokenEntity>> InsertAllAsync(
        IReadOnlyList<TokenEntity> rows,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task>? alongside = null,
        Task<bool>? proceed = null)
    {
        var inserts = rows.Select(row => AddNewAsync(table, row, cancellationToken)).ToList();
        var work = new List<Task>(inserts);
        if (alongside is not null)
        {
            work.Add(alongside(cancellationToken));
        }

        if (proceed is not null)
        {
            work.Add(proceed);
        }

        try
        {
            await Task.WhenAll(work);
        }
        catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken) || ex is StorageUnavailableException)
        {
            await RemoveQuietlyAsync([.. rows.Where((_, i) => inserts[i].IsCompletedSuccessfully && inserts[i].Result)]);
            throw;
        }

        return [.. rows.Where((_, i) => inserts[i].Result)];
    }

    /// <summary>
    /// Inserts a row; false when it is already there (409). For a row keyed by fresh random bits that can only be our own
    /// retried insert whose first answer was lost; for a row keyed by what it points at (a tombstone), another request may
    /// have written it, and then it is not ours to remove.
    /// </summary>
    public static async Task<bool> AddNewAsync(TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Whether the commit landed; null when storage cannot tell us now.</summary>
    private static async Task<bool?> LandedAsync(Func<CancellationToken, Task<bool>> landed, CancellationToken cancellationToken)
    {
        try
        {
            return await landed(cancellationToken);
        }
        catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken))
        {
            return null;
        }
    }

    private async Task<bool> LandedDespiteFaultAsync(Func<CancellationToken, Task<bool>> landed, IReadOnlyList<TokenEntity> newRows, Exception fault)
    {
        // A lost answer is usually followed by a storage that answers again soon: ask a few times before giving up.
        bool? result = null;
        foreach (var pause in RecheckPauses)
        {
            await Task.Delay(pause, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            result = await LandedAsync(landed, timeout.Token);
            if (result is not null)
            {
                break;
            }
        }

        if (result == false)
        {
            await RemoveQuietlyAsync(newRows);
        }
        else if (result is null)
        {
            LogCommitUnknown(logger, fault.GetType().Name);
        }

        return result == true;
    }

    private async Task RemoveAsync(IReadOnlyList<TokenEntity> rows, CancellationToken cancellationToken) =>
        await Task.WhenAll(rows.Select(row => table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken)));

    /// <summary>
    /// Best-effort cleanup while storage is failing. What cannot be removed now was never shown to anyone (its value
    /// existed only in this request) and is purged when its hour has passed.
    /// </summary>
    private async Task RemoveQuietlyAsync(IReadOnlyList<TokenEntity> rows)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await RemoveAsync(rows, timeout.Token);
        }
        catch (Exception ex) when (StorageFaults.IsTransient(ex, CancellationToken.None) || ex is OperationCanceledException)
        {
            LogCleanupFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A commit failed ({ExceptionType}) and storage could not say whether it landed; the client got 503, and its retry will be refused as a reuse")]
    private static partial void LogCommitUnknown(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the rows of a failed exchange ({ExceptionType}); they were never disclosed and will be purged when they expire")]
    private static partial void LogCleanupFailed(ILogger logger, string exceptionType);
}
