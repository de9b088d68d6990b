namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// Where the browser comes from: the system Chromium (Playwright's own browser downloads are never used, so the tests
/// run offline). Without it the tests are reported as skipped, never as passed; with <c>OAUTH_REQUIRE_BROWSER=1</c>
/// (CI) they fail instead, so a broken image cannot turn the browser suite green.
/// </summary>
internal static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The Chromium executable: <c>OAUTH_CHROMIUM_PATH</c> when set (another machine), else /usr/bin/chromium.</summary>
    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("OAUTH_CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultPath;

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static bool IsRequired => Environment.GetEnvironmentVariable("OAUTH_REQUIRE_BROWSER") == "1";

    /// <summary>Why the browser tests did not run, and the one command that makes them run.</summary>
    public static string NotFoundMessage =>
        $"Chromium was not found at {ExecutablePath}, so the browser tests did not run. Install it with: sudo apt-get install -y chromium"
        + (ExecutablePath == DefaultPath ? string.Empty : " (or point OAUTH_CHROMIUM_PATH at it)");

    /// <summary>Launch arguments: headless in a container, and no traffic of Chromium's own.</summary>
    public static IReadOnlyList<string> Arguments { get; } =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    /// <summary>Skips the calling <c>[SkippableFact]</c> when Chromium is missing, or fails it when CI requires the browser.</summary>
    public static void EnsureInstalled()
    {
        if (IsRequired)
        {
            Assert.True(IsInstalled, NotFoundMessage + "; OAUTH_REQUIRE_BROWSER=1 requires them.");
        }

        Skip.IfNot(IsInstalled, NotFoundMessage);
    }
}
