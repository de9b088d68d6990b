using System.CommandLine;
using System.Text.Json.Nodes;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage.Maintenance;

namespace OAuthFunctions.Cli.Commands;

/// <summary><c>oauthctl tokens revoke --client ID | --user USERNAME</c>: bulk revocation (a table scan; an operator's tool).</summary>
public static class TokensCommand
{
    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var client = new Option<string?>("--client") { Description = "Revoke every code and token of this client_id." };
        var user = new Option<string?>("--user") { Description = "Revoke every code and token issued for this username, and end their sign-ins." };
        var settle = CliRuntime.SettleOption();
        var revoke = new Command("revoke", "Revoke codes and tokens in bulk.") { client, user, settle };
        revoke.Validators.Add(result =>
        {
            if ((result.GetValue(client) is null) == (result.GetValue(user) is null))
            {
                result.AddError("Give exactly one of --client or --user.");
            }
        });
        revoke.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var administration = runtime.Get<TokenAdministration>();
            var clientId = parse.GetValue(client);
            string? userId = null;
            if (clientId is null)
            {
                // An incident command: the user's open sign-ins end too, or a thief's could still obtain new codes.
                userId = (await runtime.Get<UserAccounts>().EndSignInsAsync(parse.GetValue(user)!, cancellationToken) ?? throw new CliException("No such user.")).UserId;
            }

            // Twice, like the other revoking commands: a warm instance may issue from a cached grant meanwhile.
            var revoked = await runtime.RevokeTwiceAsync(
                ct => clientId is not null ? administration.RevokeClientAsync(clientId, ct) : administration.RevokeUserAsync(userId!, ct),
                parse.GetValue(settle),
                cancellationToken);
            runtime.Audit("TokensRevoked", clientId, userId, revoked);

            runtime.Write(new JsonObject { ["revoked"] = revoked }, $"Revoked {revoked} codes and tokens.");
        }));
        var compact = new Command("compact-legacy", "Once, after upgrading from a version without refresh token families: point every used refresh token at the end of its chain, so replaying an old one costs one step.");
        compact.SetAction(handlers.Run(async (runtime, _, cancellationToken) =>
        {
            var repointed = await runtime.Get<TokenAdministration>().CompactLegacyChainsAsync(cancellationToken);
            runtime.Write(new JsonObject { ["repointed"] = repointed }, $"Pointed {repointed} used refresh tokens at the end of their chain.");
        }));
        var tokens = new Command("tokens", "Manage issued tokens.") { revoke, compact };
        return tokens;
    }
}
