using System.CommandLine;
using System.Text.Json.Nodes;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Storage.Migration;

namespace OAuthFunctions.Cli.Commands;

/// <summary>
/// <c>oauthctl import django FILE [--dry-run] [--django-scopes read,write] [--add-grant-types a,b]</c>: users, clients
/// and live tokens from django-oauth2-provider (docs/MIGRATING.md). Exit code 0 when nothing was refused,
/// <see cref="SomeRefused"/> when some records were refused (the rest was imported), 1 when the file could not be read.
/// </summary>
public static class ImportCommand
{
    /// <summary>The exit code when the import refused some records and imported the rest.</summary>
    public const int SomeRefused = 3;

    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var file = new Argument<FileInfo>("file") { Description = "The output of: manage.py dumpdata auth.user oauth2 --indent 2" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be imported; write nothing." };
        var djangoScopes = new Option<string>("--django-scopes")
        {
            Description = "The original server's OAUTH_SCOPES names, in order (default read,write): the i-th had bit 1 << (i+1).",
            DefaultValueFactory = _ => "read,write",
        };
        var addGrantTypes = new Option<string?>("--add-grant-types")
        {
            Description = "Grant types to allow imported clients besides authorization_code, refresh_token and password (e.g. client_credentials).",
        };
        var django = new Command("django", "Import users, clients and live tokens from django-oauth2-provider's dumpdata output.") { file, dryRun, djangoScopes, addGrantTypes };
        django.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"No such file: {path.Name}.");
            }

            var extra = (parse.GetValue(addGrantTypes) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (extra.FirstOrDefault(grant => !GrantTypes.All.Contains(grant, StringComparer.Ordinal)) is { } unknown)
            {
                throw new CliException($"Unknown grant type {unknown} in --add-grant-types.", OAuthCtl.UsageError);
            }

            var settings = new DjangoImportSettings
            {
                DryRun = parse.GetValue(dryRun),
                DjangoScopes = parse.GetValue(djangoScopes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                AddGrantTypes = extra,
            };
            var progress = runtime.Console.Error == Console.Error && !Console.IsErrorRedirected
                ? new Progress<long>(read => Console.Error.Write($"\rImporting: {read:N0} records read"))
                : null;
            ImportReport report;
            try
            {
                report = await runtime.Get<DjangoImport>().RunAsync(() => path.OpenRead(), settings, progress, cancellationToken);
            }
            catch (DumpFormatException ex)
            {
                throw new CliException(ex.Message);
            }

            if (progress is not null)
            {
                Console.Error.WriteLine();
            }

            if (report.Changed && !report.DryRun)
            {
                runtime.Audit("DjangoImported", revoked: report.Users.Written + report.Clients.Written + report.AccessTokens.Written + report.RefreshTokens.Written);
            }

            runtime.Write(ToJson(report), Describe(report));
            if (report.Refused.Count > 0)
            {
                throw new CliException($"{report.Refused.Count} records were refused (listed above); the rest was imported.", SomeRefused);
            }
        }));
        return new Command("import", "Import from another OAuth server.") { django };
    }

    private static JsonObject ToJson(ImportReport report) => new()
    {
        ["dry_run"] = report.DryRun,
        ["records"] = report.Records,
        ["users"] = Tally(report.Users),
        ["clients"] = Tally(report.Clients),
        ["access_tokens"] = Tally(report.AccessTokens),
        ["refresh_tokens"] = Tally(report.RefreshTokens),
        ["grants_skipped"] = report.GrantsSkipped,
        ["changed"] = report.Changed,
        ["refused"] = new JsonArray([.. report.Refused.Select(Note)]),
        ["warnings"] = new JsonArray([.. report.Warnings.Select(Note)]),
    };

    private static JsonObject Tally(ImportTally tally) => new()
    {
        ["added"] = tally.Added,
        ["updated"] = tally.Updated,
        ["unchanged"] = tally.Unchanged,
        ["skipped"] = tally.Skipped,
        ["refused"] = tally.Refused,
    };

    private static JsonNode Note(ImportNote note) => new JsonObject { ["model"] = note.Model, ["pk"] = note.Pk, ["reason"] = note.Reason };

    private static string[] Describe(ImportReport report)
    {
        var lines = new List<string>
        {
            report.DryRun ? "Dry run: nothing was written." : report.Changed ? "Imported." : "Nothing to import: everything in the file is here already.",
            Line("users", report.Users),
            Line("clients", report.Clients),
            Line("access tokens", report.AccessTokens, skipped: "expired"),
            Line("refresh tokens", report.RefreshTokens, skipped: "already used"),
            $"  authorization codes: {report.GrantsSkipped} skipped (they live for minutes)",
        };
        lines.AddRange(report.Warnings.Select(note => $"warning: {note.Model} {note.Pk}: {note.Reason}"));
        lines.AddRange(report.Refused.Select(note => $"refused: {note.Model} {note.Pk}: {note.Reason}"));
        return [.. lines];
    }

    private static string Line(string kind, ImportTally tally, string? skipped = null) =>
        $"  {kind}: {tally.Added} added, {tally.Updated} updated, {tally.Unchanged} unchanged"
        + (skipped is null ? string.Empty : $", {tally.Skipped} skipped ({skipped})")
        + (tally.Refused > 0 ? $", {tally.Refused} refused" : string.Empty);
}
