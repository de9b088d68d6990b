using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OAuthFunctions.Core.Signing;

namespace OAuthFunctions.Cli.Commands;

/// <summary>
/// <c>oauthctl keys list|rotate</c>: the signing keys of ID tokens and JWT access tokens (docs/BEHAVIOUR.md §11). The
/// server rotates them on schedule by itself; <c>rotate</c> adds a key ahead of schedule, and <c>rotate --now</c> makes it
/// sign at once (after a compromise).
/// </summary>
public static class KeysCommand
{
    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var keys = new Command("keys", "Show or rotate the signing keys.");
        keys.Add(List(handlers));
        keys.Add(Rotate(handlers));
        return keys;
    }

    private static Command List(OAuthCtl.CommandHandlers handlers)
    {
        var command = new Command("list", "List the signing keys: when each is published, signs, retires and leaves the JWKS (creates the first key if there is none).");
        command.SetAction(handlers.Run(async (runtime, _, cancellationToken) =>
        {
            var set = await runtime.Get<SigningKeys>().LoadAsync(cancellationToken);
            Write(runtime, set);
        }));
        return command;
    }

    private static Command Rotate(OAuthCtl.CommandHandlers handlers)
    {
        var now = new Option<bool>("--now") { Description = "Sign with the new key at once instead of after the publication lead (after a key was compromised)." };
        var command = new Command("rotate", "Add a new signing key; the current one keeps being published until what it signed has expired.") { now };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            SigningKeySet set;
            try
            {
                set = await runtime.Get<SigningKeys>().RotateAsync(parse.GetValue(now), cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message);
            }

            runtime.Audit("SigningKeyRotated");
            Write(runtime, set);
        }));
        return command;
    }

    private static void Write(CliRuntime runtime, SigningKeySet set)
    {
        var now = DateTimeOffset.UtcNow;
        var signing = set.SigningAt(now);
        string Status(SigningKey key) =>
            key == signing ? "signing"
            : key.ActivatesAt > now ? "next"
            : key.IsPublishedAt(now) ? "retired" : "expired";
        static string? Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);
        runtime.Write(
            new JsonArray([.. set.All.Select(k => (JsonNode)new JsonObject
            {
                ["kid"] = k.Kid,
                ["alg"] = k.Algorithm,
                ["status"] = Status(k),
                ["created_at"] = Time(k.CreatedAt),
                ["activates_at"] = Time(k.ActivatesAt),
                ["retires_at"] = Time(k.RetiresAt),
                ["unpublish_at"] = Time(k.UnpublishAt),
            })]),
            [.. set.All.Select(k => $"{k.Kid}  {k.Algorithm}  {Status(k),-8}  signs from {Time(k.ActivatesAt)}{(k.RetiresAt is { } r ? $" to {Time(r)}, published until {Time(k.UnpublishAt)}" : string.Empty)}")]);
    }
}
