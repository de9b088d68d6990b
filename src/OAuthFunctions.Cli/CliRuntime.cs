using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Security;

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
        _services ??= CliServices.Build(parse.GetValue(OAuthCtl.StorageOption), environment, Console.Error, Console.Log);
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

    /// <summary>
    /// Bulk revocation done twice: now, and again once every warm instance has forgotten the client or user it
    /// cached (<c>OAuth__ClientCacheLifetime</c>), so tokens issued in between are caught too.
    /// </summary>
    public async Task<int> RevokeTwiceAsync(Func<CancellationToken, Task<int>> revoke, int? settleSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revoke);
        var revoked = await revoke(cancellationToken);
        var settle = settleSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : Get<OAuthOptions>().ClientCacheLifetime + TimeSpan.FromSeconds(5);
        if (settle > TimeSpan.Zero)
        {
            await Console.Error.WriteLineAsync($"Revoking again in {settle.TotalSeconds:0} s, after warm instances drop their cached copy (--settle 0 skips this).");
            await Task.Delay(settle, cancellationToken);
            revoked += await revoke(cancellationToken);
        }

        return revoked;
    }

    /// <summary>Records an administrative change as a security event (never a secret or password).</summary>
    public void Audit(string action, string? clientId = null, string? userId = null, int revoked = 0) =>
        Get<SecurityLog>().AdminChange(action, clientId, userId, revoked);

    /// <summary>The <c>--settle</c> option of the commands that revoke in bulk.</summary>
    public static Option<int?> SettleOption() => new("--settle")
    {
        Description = "Seconds before the second revocation pass (default: OAuth__ClientCacheLifetime + 5; 0 skips it).",
    };

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
