namespace OAuthFunctions.Cli;

/// <summary>Where the CLI reads passwords from and writes results and errors to; tests pass their own.</summary>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliConsole System { get; } = new(Console.In, Console.Out, Console.Error);
}
