using Azure.Data.Tables;

namespace OAuthFunctions.LocalHost;

/// <summary>How tests, benchmarks and the command line customise the local host.</summary>
public sealed class LocalHostOptions
{
    /// <summary>Read <c>local.settings.json</c> next to the binary (the command line does; tests do not).</summary>
    public bool LoadLocalSettings { get; init; } = true;

    /// <summary>Run the timer functions on their schedules.</summary>
    public bool RunTimers { get; init; } = true;

    /// <summary>Settings that override everything else (configuration keys, e.g. <c>OAuth:EnforceSecure</c>).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    public Action<TableClientOptions>? ConfigureStorageClient { get; init; }

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// The caller reports a failure to start itself, as one line (Program, through <c>StartupFailure</c>), so the
    /// generic host's own report of it, the same exception with its stack trace, is held back until the server has
    /// started; from then on every error is logged as usual.
    /// </summary>
    public bool CallerReportsStartupFailure { get; init; }
}
