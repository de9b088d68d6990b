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
}
