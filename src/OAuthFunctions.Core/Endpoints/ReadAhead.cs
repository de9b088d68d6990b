namespace OAuthFunctions.Core.Endpoints;

/// <summary>
/// A storage read started from the request alone, before the client is authenticated, so that it runs alongside the
/// client read instead of after it: one round trip less on a cold instance (docs/PERFORMANCE.md, "Sequential depth").
/// Only reads start early, never writes. What was read is used only once the client has authenticated, and is checked
/// against that client as a row read afterwards would be; if the client fails, the read is dropped unawaited (a fault
/// in it is observed here, not left unobserved).
/// </summary>
public abstract class ReadAhead
{
    private ReadAhead(string key) => Key = key;

    /// <summary>What the read was started for (the presented credential): used only for the same one.</summary>
    public string Key { get; }

    /// <summary>Starts <paramref name="read"/> now, for the credential <paramref name="key"/>.</summary>
    public static ReadAhead Start<T>(string key, Func<Task<T?>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        var task = read();
        _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new Started<T>(key, task);
    }

    /// <summary>The read started for <paramref name="key"/>, if there is one; otherwise <paramref name="read"/> now.</summary>
    public static Task<T?> ResultAsync<T>(ReadAhead? ahead, string key, Func<Task<T?>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return ahead is Started<T> started && started.Key == key ? started.Read : read();
    }

    private sealed class Started<T>(string key, Task<T?> read) : ReadAhead(key)
        where T : class
    {
        public Task<T?> Read { get; } = read;
    }
}
