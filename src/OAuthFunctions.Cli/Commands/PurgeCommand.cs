using System.CommandLine;
using System.Text.Json.Nodes;
using OAuthFunctions.Storage.Maintenance;

namespace OAuthFunctions.Cli.Commands;

/// <summary><c>oauthctl purge [--dry-run] [--max N]</c>: the purge timer's work, on demand.</summary>
public static class PurgeCommand
{
    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be deleted; delete nothing." };
        var max = new Option<int?>("--max") { Description = "Stop after this many rows (default: OAuth__PurgeMaxItems)." };
        var command = new Command("purge", "Delete expired codes and tokens.") { dryRun, max };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            if (parse.GetValue(max) is <= 0)
            {
                throw new CliException("--max must be positive.");
            }

            var report = await runtime.Get<TokenPurger>().PurgeAsync(parse.GetValue(dryRun), parse.GetValue(max), cancellationToken);
            var verb = report.DryRun ? "Would delete" : "Deleted";
            runtime.Write(
                new JsonObject
                {
                    ["codes"] = report.Codes,
                    ["access_tokens"] = report.AccessTokens,
                    ["refresh_tokens"] = report.RefreshTokens,
                    ["rotated_refresh_tokens"] = report.RotatedRefreshTokens,
                    ["tombstones"] = report.Tombstones,
                    ["total"] = report.Total,
                    ["complete"] = report.Complete,
                    ["dry_run"] = report.DryRun,
                    ["duration_ms"] = (long)report.Duration.TotalMilliseconds,
                },
                $"{verb} {report.Total}: {report.Codes} codes, {report.AccessTokens} access tokens, {report.RefreshTokens} refresh tokens, {report.RotatedRefreshTokens} rotated refresh tokens, {report.Tombstones} tombstones.",
                report.Complete ? "Nothing expired is left." : "Stopped at the cap; run again to continue.");
        }));
        return command;
    }
}
