using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace OAuthFunctions.Cli;

/// <summary>One invocation's console, output mode and (lazily built) services.</summary>
public sealed class CliRuntime(CliConsole console, ParseResult parse, IReadOnlyDictionary<string, string?>? environment) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private ServiceProvider? _services;

    public CliConsole Console { get; } = console;

    public bool Json => parse.GetValue(OAuthCtl.JsonOption);

    public T Get<T>()
        where T : notnull
    {
        _services ??= CliServices.Build(parse.GetValue(OAuthCtl.StorageOption), environment);
        return _services.GetRequiredService<T>();
    }

    /// <summary>Writes <paramref name="json"/> with --json, otherwise the human-readable lines.</summary>
    public void Write(JsonNode json, params string[] human)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Json)
        {
            Console.Out.WriteLine(json.ToJsonString(Indented));
        }
        else
        {
            foreach (var line in human)
            {
                Console.Out.WriteLine(line);
            }
        }
    }

    /// <summary>A password from standard input (never from argv): one line, at least 8 characters.</summary>
    public async Task<string> ReadPasswordAsync(CancellationToken cancellationToken)
    {
        var password = (await Console.In.ReadToEndAsync(cancellationToken)).TrimEnd('\r', '\n');
        if (password.Length < 8 || password.Length > 1024 || password.Contains('\n', StringComparison.Ordinal))
        {
            throw new CliException("The password on standard input must be one line of 8 to 1024 characters.");
        }

        return password;
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
