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
}
