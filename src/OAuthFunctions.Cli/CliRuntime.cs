using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Security;

namespace OAuthFunctions.Cli;

/// <summary>One invocation's console, output mode and (lazily built) services.</summary>
public sealed partial class CliRuntime(CliConsole console, ParseResult parse, IReadOnlyDictionary<string, string?>? environment) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JsonEscaping.Encoder };
    private CliServices? _services;

    public CliConsole Console { get; } = console;

    /// <summary>Whether the storage is the local emulator only because nothing else was named (said once the command is done).</summary>
    public bool DefaultedToDevelopmentStorage => _services?.DefaultedToDevelopmentStorage == true;

    public T Get<T>()
        where T : notnull
    {
        _services ??= CliServices.Create(parse.GetValue<string?>(OAuthCtl.StorageOptionName), environment, Console.Log);
        return _services.Provider.GetRequiredService<T>();
    }

    /// <summary>
    /// Writes the result: <paramref name="json"/> with <c>--json</c> or <c>--output json</c>; its fields as
    /// <c>NAME=value</c> lines with <c>--output env</c>; otherwise the human-readable lines.
    /// </summary>
    public void Write(JsonNode json, params string[] human)
    {
        ArgumentNullException.ThrowIfNull(json);
        switch (OutputMode(parse))
        {
            case OAuthCtl.OutputJson:
                Console.Out.WriteLine(json.ToJsonString(Indented));
                break;
            case OAuthCtl.OutputEnv:
                foreach (var line in EnvironmentLines(json))
                {
                    Console.Out.WriteLine(line);
                }

                break;
            default:
                foreach (var line in human)
                {
                    Console.Out.WriteLine(line);
                }

                break;
        }
    }

    /// <summary>The output mode: <c>--output</c> when given, else <c>json</c> with <c>--json</c>, else <c>text</c>.</summary>
    public static string OutputMode(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var json = parse.GetValue<bool>(OAuthCtl.JsonOptionName);
        return parse.GetValue<string?>(OAuthCtl.OutputOptionName) switch
        {
            null => json ? OAuthCtl.OutputJson : OAuthCtl.OutputText,
            var output when json && output != OAuthCtl.OutputJson =>
                throw new CliException($"--json and --output {output} ask for different outputs; use one.", OAuthCtl.UsageError),
            var output => output,
        };
    }

    /// <summary>
    /// <c>--output env</c>: one <c>NAME=value</c> line per field of a single result (<c>client_id</c> becomes
    /// <c>CLIENT_ID</c>), for <c>eval "$(oauthctl …)"</c> or <c>export</c>. Values of letters, digits and <c>-_.:/@%+=,</c>
    /// (ids, secrets, URLs) are written as they are; anything else is single-quoted for a POSIX shell, so a client
    /// name can never run as a command. A list has no single set of names: it is refused.
    /// </summary>
    public static IEnumerable<string> EnvironmentLines(JsonNode json) =>
        json is JsonObject result
            ? result.Select(field => $"{field.Key.ToUpperInvariant()}={ShellWord(Text(field.Value))}")
            : throw new CliException("--output env prints the fields of one result; use --json for a list.", OAuthCtl.UsageError);

    /// <summary>The human-readable lines of a result: <c>field: value</c>, lists comma-separated, absent fields left out.</summary>
    public static string[] Describe(JsonObject result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Where(field => field.Value is not null).Select(field => $"{field.Key}: {Text(field.Value)}")];
    }

    /// <summary>A timestamp as ISO 8601 in UTC with <c>Z</c>, to the second (e.g. <c>2026-05-01T12:00:00Z</c>).</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Text(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonArray list => string.Join(",", list.Select(Text)),
        JsonValue scalar when scalar.TryGetValue<string>(out var text) => text,
        JsonValue scalar => scalar.ToJsonString(Indented),
        _ => value.ToJsonString(Indented),
    };

    private static string ShellWord(string value) =>
        ShellSafe().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_.:/@%+=,-]*$")]
    private static partial Regex ShellSafe();

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
            await _services.Provider.DisposeAsync();
        }
    }
}
