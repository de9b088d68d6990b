using Azure;
using Azure.Identity;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Storage;

/// <summary>
/// Turns the storage faults a client can do nothing about but retry (unreachable, timed out, throttled, 5xx)
/// into <see cref="StorageUnavailableException"/>, so endpoints answer 503 <c>temporarily_unavailable</c>.
/// Anything else (a 403 from missing RBAC, a bug) stays an exception and becomes a logged 500.
/// </summary>
internal static class StorageFaults
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw new StorageUnavailableException("Table Storage is unavailable.", ex);
        }
    }

    public static async Task GuardAsync(Func<Task> operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw new StorageUnavailableException("Table Storage is unavailable.", ex);
        }
    }

    /// <summary>The synchronous form, for callers the SDK offers no async hook for (the Data Protection key ring).</summary>
    public static T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception ex) when (IsTransient(ex, CancellationToken.None))
        {
            throw new StorageUnavailableException("Table Storage is unavailable.", ex);
        }
    }

    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or 500 or 502 or 503 or 504,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(inner => IsTransient(inner, cancellationToken)),
        // The SDK's network timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException => true,
        CredentialUnavailableException or AuthenticationFailedException => true,
        _ => false,
    };
}
