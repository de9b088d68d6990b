using Microsoft.Playwright;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// Saves pictures of pages to the test output (<c>screenshots/</c>) for review; the README's pictures also go to
/// <c>docs/screenshots/</c> when <c>OAUTH_UPDATE_SCREENSHOTS=1</c>.
/// </summary>
internal static class Screenshots
{
    public static string OutputDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static bool UpdateDocs => Environment.GetEnvironmentVariable("OAUTH_UPDATE_SCREENSHOTS") == "1";

    public static async Task<string> SaveAsync(IPage page, string name, bool forDocs = false)
    {
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        Assert.True(png.Length > 1000, $"The {name} screenshot is empty.");

        Directory.CreateDirectory(OutputDirectory);
        var path = Path.Combine(OutputDirectory, name);
        await File.WriteAllBytesAsync(path, png);

        if (forDocs && UpdateDocs)
        {
            var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("OAUTH_UPDATE_SCREENSHOTS=1 needs the tests to run inside the repository.");
            var docs = Path.Combine(root, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, name), png);
        }

        return path;
    }
}
