using System.CommandLine;
using System.Text.Json.Nodes;
using OAuthFunctions.Storage;

namespace OAuthFunctions.Cli.Commands;

/// <summary><c>oauthctl init</c>: creates the tables that are missing; idempotent.</summary>
public static class InitCommand
{
    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var command = new Command("init", "Create the tables (idempotent).");
        command.SetAction(handlers.Run(async (runtime, _, cancellationToken) =>
        {
            var tables = runtime.Get<OAuthTables>();
            var created = await tables.CreateAsync(cancellationToken);
            runtime.Write(
                new JsonObject
                {
                    ["tables"] = new JsonArray([.. tables.All.Select(t => (JsonNode)t.Name)]),
                    ["created"] = new JsonArray([.. created.Select(t => (JsonNode)t)]),
                },
                created.Count == 0 ? "All tables already exist." : "Created tables: " + string.Join(", ", created));
        }));
        return command;
    }
}
