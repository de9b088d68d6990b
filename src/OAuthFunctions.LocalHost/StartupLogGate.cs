namespace OAuthFunctions.LocalHost;

/// <summary>
/// Holds back the generic host's errors until the server has started: its "Hosting failed to start" is the exception
/// the caller reports as one line (<see cref="LocalHostOptions.CallerReportsStartupFailure"/>). Information and
/// warnings always pass; after start-up, everything does.
/// </summary>
internal sealed class StartupLogGate
{
    /// <summary>The generic host's log category.</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    public void Open() => _started = true;

    public bool Allows(LogLevel level) => level >= LogLevel.Information && (_started || level < LogLevel.Error);
}
