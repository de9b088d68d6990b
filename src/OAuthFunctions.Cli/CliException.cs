namespace OAuthFunctions.Cli;

/// <summary>A failure the user can act on; its message is printed as the one line on stderr.</summary>
public sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="message">The one line printed on stderr.</param>
    /// <param name="exitCode">The process exit code, e.g. <see cref="OAuthCtl.UsageError"/> for input no server accepts.</param>
    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code (1 unless the failure says otherwise).</summary>
    public int ExitCode { get; } = 1;
}
