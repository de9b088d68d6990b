using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Hosting;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Cli;

/// <summary>
/// docs/BEHAVIOUR.md §9: oauthctl fails as the hosts do, with one line that names what to fix (the option or setting
/// the bad value came from) and no stack trace. Runs the built CLI in a child process.
/// </summary>
public sealed class CliStartupErrorTests
{
    [Fact]
    public async Task Garbage_storage_option_names_the_option_not_the_setting()
    {
        var result = await BuiltProgram.RunAsync(BuiltProgram.Cli, ["--storage", "garbage", "clients", "list"], new Dictionary<string, string?>());

        var line = StartupErrorTests.AssertOneLineFailure(result);
        Assert.Contains("--storage", line, StringComparison.Ordinal);
        Assert.DoesNotContain("OAuthStorage", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_setting_names_the_setting()
    {
        var environment = new Dictionary<string, string?>
        {
            ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
            ["OAuth__AccessTokenLifetime"] = "abc",
        };

        var result = await BuiltProgram.RunAsync(BuiltProgram.Cli, ["clients", "list"], environment);

        Assert.Contains("OAuth__AccessTokenLifetime", StartupErrorTests.AssertOneLineFailure(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_storage_is_one_line()
    {
        var storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:{LocalHost.AzuriteProcess.FreePort()}/devstoreaccount1;";

        var result = await BuiltProgram.RunAsync(BuiltProgram.Cli, ["--storage", storage, "clients", "list"], new Dictionary<string, string?>());

        Assert.Contains("storage is unreachable", StartupErrorTests.AssertOneLineFailure(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_command_lists_the_commands_in_one_line()
    {
        var result = await BuiltProgram.RunAsync(BuiltProgram.Cli, [], new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal("error: a command is required: init, clients, users, tokens, purge, import, keys (see --help)", line);
    }

    [Fact]
    public async Task Unknown_command_names_it_and_the_commands_there_are()
    {
        var result = await BuiltProgram.RunAsync(BuiltProgram.Cli, ["clients", "frobnicate"], new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal("error: unknown command 'frobnicate': expected one of add, list, show, remove, rotate-secret, update (see 'clients --help')", line);
    }
}
