namespace OAuthFunctions.Core.Stores;

/// <summary>
/// Storage could not be reached, timed out or throttled us. Endpoints answer 503 <c>temporarily_unavailable</c>;
/// stores throw it only after leaving nothing half-written that a client could use.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
