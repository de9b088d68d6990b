using System.CommandLine;
using System.Text.Json.Nodes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Storage.Maintenance;

namespace OAuthFunctions.Cli.Commands;

/// <summary><c>oauthctl tokens revoke --client ID | --user USERNAME</c>: bulk revocation (a table scan; an operator's tool).</summary>
public static class TokensCommand
{
    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var client = new Option<string?>("--client") { Description = "Revoke every code and token of this client_id." };
        var user = new Option<string?>("--user") { Description = "Revoke every code and token issued for this username." };
        var revoke = new Command("revoke", "Revoke codes and tokens in bulk.") { client, user };
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
            int revoked;
            if (parse.GetValue(client) is { } clientId)
            {
                revoked = await administration.RevokeClientAsync(clientId, cancellationToken);
            }
            else
            {
                var found = await runtime.Get<IUserStore>().FindAsync(parse.GetValue(user)!, cancellationToken)
                    ?? throw new CliException("No such user.");
                revoked = await administration.RevokeUserAsync(found.UserId, cancellationToken);
            }

            runtime.Write(new JsonObject { ["revoked"] = revoked }, $"Revoked {revoked} codes and tokens.");
        }));
        var tokens = new Command("tokens", "Manage issued tokens.") { revoke };
        return tokens;
    }
}
