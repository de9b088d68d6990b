namespace OAuthFunctions.Hosting;

/// <summary>A reason a host cannot start that the person running it can fix; its message is the one line printed.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
