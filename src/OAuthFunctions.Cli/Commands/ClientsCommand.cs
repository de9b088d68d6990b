using System.CommandLine;
using System.Text.Json.Nodes;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Maintenance;

namespace OAuthFunctions.Cli.Commands;

/// <summary><c>oauthctl clients add|list|show|remove|rotate-secret</c>.</summary>
public static class ClientsCommand
{
    private const string AllowInsecureRedirect = "--allow-insecure-redirect";

    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var clients = new Command("clients", "Register and manage clients.");
        clients.Add(Add(handlers));
        clients.Add(List(handlers));
        clients.Add(Show(handlers));
        clients.Add(Remove(handlers));
        clients.Add(RotateSecret(handlers));
        clients.Add(Update(handlers));
        return clients;
    }

    private static Command Add(OAuthCtl.CommandHandlers handlers)
    {
        var name = new Option<string>("--name") { Description = "Name shown on the consent page.", Required = true };
        var url = new Option<string>("--url") { Description = "The client's home page, shown on the consent page.", Required = true };
        var redirects = new Option<string[]>("--redirect-uri") { Description = "A redirect URI (exact match); repeat for several.", Required = true };
        var type = new Option<string>("--type") { Description = "confidential or public.", Required = true };
        type.AcceptOnlyFromAmong("confidential", "public");
        var grantTypes = new Option<string?>("--grant-types") { Description = "Comma-separated grant types (default: all the client type may use that the server has enabled)." };
        var scopes = new Option<string?>("--scopes") { Description = "Comma-separated scopes the client may request (default: all)." };
        var trusted = new Option<bool>("--trusted") { Description = "Skip the consent page for this client (confidential clients only)." };
        var allowInsecure = AllowInsecureOption();
        var origins = AllowedOriginOption();
        var owner = new Option<string?>("--owner") { Description = "Username of the person who owns this registration." };
        var postLogout = new Option<string[]>("--post-logout-redirect-uri")
        {
            Description = "Where RP-initiated logout may return the browser (exact match, same rules as redirect URIs); repeat for several.",
        };
        var tokenFormat = new Option<string>("--access-token-format") { Description = "opaque (default) or jwt (RFC 9068, short-lived).", DefaultValueFactory = _ => "opaque" };
        tokenFormat.AcceptOnlyFromAmong("opaque", "jwt");
        var audience = new Option<string?>("--access-token-audience") { Description = "The aud of JWT access tokens: the resource server's identifier (required with --access-token-format jwt)." };
        var command = new Command("add", "Register a client; prints its client_id and, for confidential clients, its secret once.")
        {
            name, url, redirects, type, grantTypes, scopes, trusted, allowInsecure, origins, owner, postLogout, tokenFormat, audience,
        };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var clientType = parse.GetValue(type) == "public" ? ClientType.Public : ClientType.Confidential;
            var redirectUris = (parse.GetValue(redirects) ?? []).Distinct(StringComparer.Ordinal).ToList();
            var postLogoutUris = (parse.GetValue(postLogout) ?? []).Distinct(StringComparer.Ordinal).ToList();
            var format = parse.GetValue(tokenFormat) == "jwt" ? AccessTokenFormat.Jwt : AccessTokenFormat.Opaque;
            var audienceValue = parse.GetValue(audience);
            if (format == AccessTokenFormat.Jwt && !Uri.TryCreate(audienceValue, UriKind.Absolute, out _))
            {
                // RFC 9068 §3: aud identifies the resource server; a JWT for no one in particular would be accepted anywhere.
                throw new CliException("--access-token-format jwt needs --access-token-audience, the absolute URI of the resource server (RFC 9068 §3).", OAuthCtl.UsageError);
            }

            // A post-logout redirect URI is a redirect like any other: the same rules (OpenID Connect RP-Initiated Logout §3).
            var allowedOrigins = parse.GetValue(origins) ?? [];
            if (ClientRegistration.Refuse(clientType, parse.GetValue(trusted), [.. redirectUris, .. postLogoutUris], parse.GetValue(allowInsecure), allowedOrigins) is { } refusal)
            {
                throw Refused(refusal);
            }

            var registry = runtime.Get<ScopeRegistry>();
            var secret = clientType == ClientType.Confidential ? SecretHasher.NewSecret() : null;
            var client = new Client
            {
                ClientId = SecretHasher.NewClientId(),
                SecretHash = secret is null ? null : SecretHasher.Hash(secret),
                Name = Required(parse.GetValue(name), "--name"),
                Url = AbsoluteHttpUrl(parse.GetValue(url), "--url"),
                RedirectUris = redirectUris,
                Type = clientType,
                GrantTypes = GrantTypesFor(clientType, parse.GetValue(grantTypes), runtime.Get<OAuthOptions>()),
                Scope = ScopesFrom(registry, parse.GetValue(scopes)),
                Trusted = parse.GetValue(trusted),
                AllowedOrigins = Serialized(allowedOrigins),
                Owner = parse.GetValue(owner),
                CreatedAt = TimeProvider.System.GetUtcNow(),
                PostLogoutRedirectUris = postLogoutUris,
                AccessTokenFormat = format,
                AccessTokenAudience = format == AccessTokenFormat.Jwt ? audienceValue : null,
            };
            if (client.RedirectUris.Count == 0)
            {
                throw new CliException("At least one --redirect-uri is required.");
            }

            if (!await runtime.Get<IClientStore>().AddAsync(client, cancellationToken))
            {
                throw new CliException("A client with the generated id already exists; run the command again.");
            }

            runtime.Audit("ClientAdded", client.ClientId);
            runtime.Write(
                new JsonObject { ["client_id"] = client.ClientId, ["client_secret"] = secret },
                $"client_id:     {client.ClientId}",
                secret is null ? "client_secret: (none: public client)" : $"client_secret: {secret}",
                secret is null ? string.Empty : "The secret is shown only now; store it safely.");
        }));
        return command;
    }

    private static Command List(OAuthCtl.CommandHandlers handlers)
    {
        var command = new Command("list", "List the registered clients.");
        command.SetAction(handlers.Run(async (runtime, _, cancellationToken) =>
        {
            var registry = runtime.Get<ScopeRegistry>();
            var all = (await runtime.Get<IClientStore>().ListAsync(cancellationToken)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

            // A stored row that breaks a never-acceptable rule authenticates nobody; list it so that it can be removed.
            runtime.Write(
                new JsonArray([.. all.Select(c => (JsonNode)WithRefusal(Describe(c, registry), c))]),
                [.. all.Select(c => $"{c.ClientId}  {c.Type.ToString().ToLowerInvariant(),-12}  {c.Name}{(ClientRegistration.RefuseStored(c) is { } refused ? $"  (refused: {refused.Rule})" : string.Empty)}")]);
        }));
        return command;
    }

    private static Command Show(OAuthCtl.CommandHandlers handlers)
    {
        var id = new Argument<string>("client-id");
        var command = new Command("show", "Show one client.") { id };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var client = await runtime.Get<IClientStore>().FindAsync(parse.GetValue(id)!, cancellationToken)
                ?? throw new CliException("No such client.");
            var description = Describe(client, runtime.Get<ScopeRegistry>());
            runtime.Write(description, CliRuntime.Describe(description));
        }));
        return command;
    }

    private static Command Remove(OAuthCtl.CommandHandlers handlers)
    {
        var id = new Argument<string>("client-id");
        var settle = CliRuntime.SettleOption();
        var command = new Command("remove", "Remove a client and revoke all its codes and tokens.") { id, settle };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var clientId = parse.GetValue(id)!;
            if (!await runtime.Get<IClientStore>().RemoveAsync(clientId, cancellationToken))
            {
                throw new CliException("No such client.");
            }

            // Introspection reads only the token row, so a client's tokens must go with it: now, and again once warm
            // instances have stopped accepting the removed client.
            var administration = runtime.Get<TokenAdministration>();
            var revoked = await runtime.RevokeTwiceAsync(ct => administration.RevokeClientAsync(clientId, ct), parse.GetValue(settle), cancellationToken);
            runtime.Audit("ClientRemoved", clientId, revoked: revoked);
            runtime.Write(
                new JsonObject { ["client_id"] = clientId, ["removed"] = true, ["tokens_revoked"] = revoked },
                $"Removed client {clientId}; revoked {revoked} codes and tokens.");
        }));
        return command;
    }

    private static Command Update(OAuthCtl.CommandHandlers handlers)
    {
        var id = new Argument<string>("client_id");
        var requirePkce = new Option<bool>("--require-pkce") { Description = "Take away a public client's exemption from PKCE (given to clients imported from django-oauth2-provider)." };
        var addOrigins = AllowedOriginOption();
        var removeOrigins = new Option<string[]>("--remove-allowed-origin")
        {
            Description = "Stop allowing a web origin; repeat for several.",
            AllowMultipleArgumentsPerToken = false,
        };
        var allowInsecure = AllowInsecureOption();
        var command = new Command("update", "Change a client's registration.") { id, requirePkce, addOrigins, removeOrigins, allowInsecure };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var store = runtime.Get<IClientStore>();
            var client = await store.FindAsync(parse.GetValue(id)!, cancellationToken) ?? throw new CliException("No such client.");
            var added = parse.GetValue(addOrigins) ?? [];
            var removed = parse.GetValue(removeOrigins) ?? [];
            var refusal = added.Select(o => ClientRegistration.RefuseOrigin(o, parse.GetValue(allowInsecure)))
                .Concat(removed.Select(o => ClientRegistration.RefuseOrigin(o, allowInsecure: true)))
                .FirstOrDefault(r => r is not null);
            if (refusal is not null)
            {
                throw Refused(refusal);
            }

            var origins = Serialized([.. client.AllowedOrigins.Except(Serialized(removed), StringComparer.Ordinal), .. added]);
            var updated = client with
            {
                PkceOptional = client.PkceOptional && !parse.GetValue(requirePkce),
                AllowedOrigins = origins,
            };

            // Written whenever origins are named, even unchanged: the store re-indexes them, which repairs an index that an
            // interrupted command left incomplete.
            var changed = !updated.AllowedOrigins.SequenceEqual(client.AllowedOrigins, StringComparer.Ordinal) || updated.PkceOptional != client.PkceOptional;
            if ((changed || added.Length > 0) && !await store.UpdateAsync(updated, cancellationToken))
            {
                throw new CliException("No such client.");
            }

            runtime.Audit("ClientUpdated", client.ClientId);
            runtime.Write(
                new JsonObject
                {
                    ["client_id"] = client.ClientId,
                    ["pkce_required"] = updated.RequiresPkce || !updated.IsPublic,
                    ["allowed_origins"] = new JsonArray([.. updated.AllowedOrigins.Select(o => (JsonNode)o)]),
                },
                changed ? $"Updated client {client.ClientId}." : $"Client {client.ClientId} unchanged.");
        }));
        return command;
    }

    private static Command RotateSecret(OAuthCtl.CommandHandlers handlers)
    {
        var id = new Argument<string>("client-id");
        var revokeTokens = new Option<bool>("--revoke-tokens") { Description = "Also revoke every code and token the client has (after a leak)." };
        var settle = CliRuntime.SettleOption();
        var command = new Command("rotate-secret", "Give a confidential client a new secret (printed once); the old one stops working.") { id, revokeTokens, settle };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var store = runtime.Get<IClientStore>();
            var client = await store.FindAsync(parse.GetValue(id)!, cancellationToken) ?? throw new CliException("No such client.");
            if (client.IsPublic)
            {
                throw new CliException("Public clients have no secret.");
            }

            var secret = SecretHasher.NewSecret();
            await store.SetSecretHashAsync(client.ClientId, SecretHasher.Hash(secret), cancellationToken);
            var administration = runtime.Get<TokenAdministration>();
            var revoked = parse.GetValue(revokeTokens)
                ? await runtime.RevokeTwiceAsync(ct => administration.RevokeClientAsync(client.ClientId, ct), parse.GetValue(settle), cancellationToken)
                : 0;
            runtime.Audit("SecretRotated", client.ClientId, revoked: revoked);
            runtime.Write(
                new JsonObject { ["client_id"] = client.ClientId, ["client_secret"] = secret, ["tokens_revoked"] = revoked },
                $"client_secret: {secret}",
                "The secret is shown only now; instances that cached the client accept the old one for up to OAuth__ClientCacheLifetime.");
        }));
        return command;
    }

    private static JsonObject Describe(Client client, ScopeRegistry registry) => new()
    {
        ["client_id"] = client.ClientId,
        ["name"] = client.Name,
        ["url"] = client.Url,
        ["type"] = client.Type.ToString().ToLowerInvariant(),
        ["redirect_uris"] = new JsonArray([.. client.RedirectUris.Select(u => (JsonNode)u)]),
        ["grant_types"] = new JsonArray([.. client.GrantTypes.Select(g => (JsonNode)g)]),
        ["scopes"] = new JsonArray([.. registry.ToNames(client.Scope).Select(s => (JsonNode)s)]),
        ["trusted"] = client.Trusted,
        ["allowed_origins"] = new JsonArray([.. client.AllowedOrigins.Select(o => (JsonNode)o)]),
        ["owner"] = client.Owner,
        ["post_logout_redirect_uris"] = new JsonArray([.. client.PostLogoutRedirectUris.Select(u => (JsonNode)u)]),
        ["access_token_format"] = client.AccessTokenFormat.ToString().ToLowerInvariant(),
        ["access_token_audience"] = client.AccessTokenAudience,
        ["created_at"] = CliRuntime.Timestamp(client.CreatedAt),
    };

    private static JsonObject WithRefusal(JsonObject description, Client client)
    {
        if (ClientRegistration.RefuseStored(client) is { } refusal)
        {
            description["refused"] = refusal.Rule.ToString();
        }

        return description;
    }

    private static Option<bool> AllowInsecureOption() => new(AllowInsecureRedirect)
    {
        Description = "Accept plain-http redirect URIs and allowed origins on hosts other than 127.0.0.1, [::1] and localhost (for migrations).",
    };

    private static Option<string[]> AllowedOriginOption() => new("--allowed-origin")
    {
        Description = "A web origin (scheme://host[:port]) whose pages may call the token and revocation endpoints (CORS); repeat for several.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Origins as they will be compared: serialized (RFC 6454 §6.2), each once, in the order given.</summary>
    private static List<string> Serialized(IEnumerable<string> origins) =>
        [.. origins.Select(AllowedOrigins.Canonical).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>Input no server should accept: exit code 2, as for a command line that does not parse; nothing written.</summary>
    private static CliException Refused(RegistrationRefusal refusal)
    {
        var hint = refusal.Rule is RegistrationRule.InsecureRedirectUri or RegistrationRule.InsecureOrigin ? $" ({AllowInsecureRedirect})" : string.Empty;
        return new CliException(refusal.Message.TrimEnd('.') + hint + ".", OAuthCtl.UsageError);
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new CliException($"{option} must not be empty.") : value.Trim();

    private static string AbsoluteHttpUrl(string? value, string option) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? value!
            : throw new CliException($"{option} must be an absolute http or https URL.");

    private static List<string> GrantTypesFor(ClientType type, string? requested, OAuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return [.. GrantTypes.DefaultFor(type, options.ResponseTypes)];
        }

        // Named explicitly, any grant the type may use is kept: the server may enable the implicit flow later.
        var allowed = GrantTypes.AllowedFor(type);
        var chosen = requested.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var refused = chosen.Where(g => !allowed.Contains(g)).ToList();
        return refused.Count == 0
            ? chosen
            : throw new CliException($"--grant-types: a {type.ToString().ToLowerInvariant()} client cannot use {string.Join(", ", refused)} (allowed: {string.Join(", ", allowed)}).");
    }

    private static int ScopesFrom(ScopeRegistry registry, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return registry.All;
        }

        var names = requested.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => !registry.Defined.Contains(n)).ToList();
        return unknown.Count == 0 && names.Length > 0
            ? registry.ToInt(names)
            : throw new CliException($"--scopes: unknown scope {string.Join(", ", unknown)} (defined: {string.Join(", ", registry.Defined)}).");
    }
}
