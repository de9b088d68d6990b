using System.Net;
using System.Net.Sockets;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// docs/BEHAVIOUR.md §9: a host that cannot start prints one line naming the problem and the fix, and exits with 1;
/// no stack trace unless --verbose. Each test runs the built program in a child process, as a person would.
/// </summary>
public sealed class StartupErrorTests
{
    [Fact]
    public async Task Local_host_on_a_port_in_use_names_the_port_and_how_to_choose_another()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await BuiltProgram.RunAsync(BuiltProgram.LocalHost, ["--urls", $"http://127.0.0.1:{port}"], await EmulatorAsync());

        var line = AssertOneLineFailure(result);
        Assert.Contains($"port {port}", line, StringComparison.Ordinal);
        Assert.Contains("--urls http://127.0.0.1:PORT", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OAuth__AccessTokenLifetime", "abc", "OAuth__AccessTokenLifetime")]
    [InlineData("OAuth__Scopes", "read,read", "OAuth__Scopes")]
    [InlineData("OAuth__EnforceSecure", "true", "OAuth__Issuer")]
    public async Task Local_host_with_a_bad_setting_names_the_setting(string setting, string value, string named)
    {
        var environment = await EmulatorAsync();
        environment[setting] = value;

        var result = await BuiltProgram.RunAsync(BuiltProgram.LocalHost, ["--urls", $"http://127.0.0.1:{AzuriteProcess.FreePort()}"], environment);

        Assert.Contains(named, AssertOneLineFailure(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_host_with_unreachable_storage_says_so_before_listening()
    {
        var deadPort = AzuriteProcess.FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["OAuthStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;",
        };

        var result = await BuiltProgram.RunAsync(BuiltProgram.LocalHost, ["--urls", $"http://127.0.0.1:{AzuriteProcess.FreePort()}"], environment);

        var line = AssertOneLineFailure(result);
        Assert.Contains("unreachable", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{deadPort}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_to_the_line()
    {
        var environment = await EmulatorAsync();
        environment["OAuth__AccessTokenLifetime"] = "abc";

        var result = await BuiltProgram.RunAsync(BuiltProgram.LocalHost, ["--urls", $"http://127.0.0.1:{AzuriteProcess.FreePort()}", "--verbose"], environment);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: The setting OAuth__AccessTokenLifetime", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_logging_adds_the_stack_trace_too()
    {
        var environment = await EmulatorAsync();
        environment["OAuth__AccessTokenLifetime"] = "abc";
        environment["Logging__LogLevel__Default"] = "Debug";

        var result = await BuiltProgram.RunAsync(BuiltProgram.LocalHost, ["--urls", $"http://127.0.0.1:{AzuriteProcess.FreePort()}"], environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Functions_app_with_a_bad_setting_names_the_setting()
    {
        var environment = await EmulatorAsync();
        environment["OAuth__AccessTokenLifetime"] = "abc";

        var result = await BuiltProgram.RunAsync(BuiltProgram.FunctionsApp, [], environment);

        Assert.Contains("OAuth__AccessTokenLifetime", AssertOneLineFailure(result), StringComparison.Ordinal);
    }

    /// <summary>Exit code 1, one line on stderr that starts with "error:", no stack trace anywhere.</summary>
    internal static string AssertOneLineFailure(ProgramResult result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
        return line;
    }

    /// <summary>The tests' Azurite under a table prefix of its own: never the development storage on port 10002.</summary>
    private static async Task<Dictionary<string, string?>> EmulatorAsync() => new()
    {
        ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
        ["OAuth__TablePrefix"] = "S" + Guid.NewGuid().ToString("N")[..12],
    };
}
