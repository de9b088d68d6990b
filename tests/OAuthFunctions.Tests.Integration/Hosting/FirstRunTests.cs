using OAuthFunctions.LocalHost;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// A newcomer's first run of the local host prints nothing alarming: no warning, error or stack trace, not even the
/// Data Protection warning for the key it creates in the empty Keys table (docs/ARCHITECTURE.md, "Login and flow
/// state"). Runs the built local host in a child process against fresh tables, as `dotnet run` does.
/// </summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task First_start_on_empty_tables_prints_no_warning_and_stops_cleanly()
    {
        var port = AzuriteProcess.FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
            ["OAuth__TablePrefix"] = "F" + Guid.NewGuid().ToString("N")[..12],
        };
        await using var host = RunningProgram.Start(BuiltProgram.LocalHost, ["--urls", $"http://127.0.0.1:{port}"], environment);
        await host.WaitForAsync("Application started", TimeSpan.FromSeconds(90));

        // The pages use the key ring: the first one makes sure a key exists.
        using (var http = new HttpClient())
        {
            var login = await http.GetAsync($"http://127.0.0.1:{port}/oauth2/login");
            Assert.True(login.IsSuccessStatusCode);
        }

        Assert.Equal(0, await host.StopAsync());
        var output = host.Output;
        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", output, StringComparison.Ordinal);
        foreach (var alarming in new[] { "warn:", "fail:", "crit:", "Exception", "   at ", "No XML encryptor" })
        {
            Assert.DoesNotContain(alarming, output, StringComparison.Ordinal);
        }
    }
}
