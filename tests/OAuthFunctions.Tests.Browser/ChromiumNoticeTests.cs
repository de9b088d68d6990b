using OAuthFunctions.Tests.Browser.Support;

namespace OAuthFunctions.Tests.Browser;

/// <summary>
/// Without Chromium the browser tests are skipped, and `dotnet test` says why and how to install it: the fixture reports
/// this message once as an xUnit diagnostic (xunit.runner.json shows them), and every skipped test carries it.
/// </summary>
public sealed class ChromiumNoticeTests
{
    [Fact]
    public void The_notice_says_chromium_was_not_found_and_gives_the_one_install_command()
    {
        Assert.Contains("Chromium was not found", Chromium.NotFoundMessage, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install -y chromium", Chromium.NotFoundMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostic_messages_are_shown_so_the_notice_reaches_the_console()
    {
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "xunit.runner.json")));
        Assert.True(settings.RootElement.GetProperty("diagnosticMessages").GetBoolean());
    }
}
