using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Storage.Stores;

namespace OAuthFunctions.Storage.Migration;

/// <summary>
/// Imports a django-oauth2-provider server's users, clients and live tokens (docs/MIGRATING.md), so that moving to this
/// server breaks no client and signs nobody out: same client ids and secrets (the secrets hashed on the way in), same
/// passwords (Django's hashes kept until the first sign-in upgrades them), the same access and refresh tokens until
/// they expire. Tokens are stored like tokens issued before refresh token families, plus an index row keyed by the
/// hash of their value, because their strings do not say where they are stored.
/// <para>
/// The file is read twice as a stream (the second pass needs to know which access tokens a refresh token refers to),
/// never whole. Idempotent: a row already there is left alone and counted unchanged; a newer dump updates users and
/// clients that changed. Each record is refused or written whole.
/// </para>
/// </summary>
public sealed partial class DjangoImport(OAuthTables tables, ScopeRegistry scopes, TimeProvider time, ILogger<DjangoImport> logger)
{
    private const string UserModel = "auth.user";
    private const string ClientModel = "oauth2.client";
    private const string GrantModel = "oauth2.grant";
    private const string AccessTokenModel = "oauth2.accesstoken";
    private const string RefreshTokenModel = "oauth2.refreshtoken";
    private const int FlushAt = 2_000;

    private static readonly string[] KnownModels = [UserModel, ClientModel, GrantModel, AccessTokenModel, RefreshTokenModel];

    /// <param name="open">Opens the dump (called once per pass).</param>
    /// <param name="settings">How to map what the original did not say.</param>
    /// <param name="progress">Records read so far (both passes).</param>
    /// <param name="cancellationToken">Stops the import between writes.</param>
    public async Task<ImportReport> RunAsync(Func<Stream> open, DjangoImportSettings settings, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(settings);
        var report = new ImportReport { DryRun = settings.DryRun };
        var run = new Run(settings, report);

        // Pass 1: the file is a dump end to end, and which access tokens have refresh tokens.
        await using (var stream = open())
        {
            await foreach (var record in DjangoDump.ReadAsync(stream, cancellationToken))
            {
                report.Records++;
                if (record.Model == RefreshTokenModel && record.Reference("access_token") is { } access)
                {
                    run.AccessForRefresh.Add(access);
                }

                if (report.Records % 1000 == 0)
                {
                    progress?.Report(report.Records);
                }
            }
        }

        // Pass 2: write, in the file's order (dumpdata writes users and clients before the tokens that name them).
        await using (var stream = open())
        {
            var read = 0L;
            await foreach (var record in DjangoDump.ReadAsync(stream, cancellationToken))
            {
                await ImportAsync(record, run, cancellationToken);
                if (++read % 1000 == 0)
                {
                    progress?.Report(report.Records + read);
                }

                if (run.Buffered >= FlushAt)
                {
                    await FlushAsync(run, cancellationToken);
                }
            }
        }

        await FlushAsync(run, cancellationToken);
        LogImported(logger, settings.DryRun, report.Users.Written, report.Clients.Written, report.AccessTokens.Written, report.RefreshTokens.Written, report.Refused.Count);
        return report;
    }

    private Task ImportAsync(DumpRecord record, Run run, CancellationToken cancellationToken) => record.Model switch
    {
        UserModel => ImportUserAsync(record, run, cancellationToken),
        ClientModel => ImportClientAsync(record, run, cancellationToken),
        GrantModel => Skip(run),
        AccessTokenModel => ImportAccessTokenAsync(record, run, cancellationToken),
        RefreshTokenModel => ImportRefreshTokenAsync(record, run, cancellationToken),
        _ => Refuse(run, record, null, $"Unknown model {record.Model}: only {string.Join(", ", KnownModels)} are imported."),
    };

    private static Task Skip(Run run)
    {
        run.Report.GrantsSkipped++;
        return Task.CompletedTask;
    }

    private async Task ImportUserAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        var username = record.Text("username");
        var encoded = record.Text("password");
        if (username is null || !Usernames.IsValid(username) || encoded is null)
        {
            await Refuse(run, record, run.Report.Users, "The username is missing or not a valid username, or the password field is missing.");
            return;
        }

        var usable = DjangoHash.TryParse(encoded, out _);
        if (!usable)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"User {username}: the password hash ({Algorithm(encoded)}) is not one this server verifies (pbkdf2_sha256, pbkdf2_sha1); imported disabled: set a password with oauthctl users set-password, then enable."));
        }

        var fingerprint = TokenHandle.HashOf(encoded);
        var disabled = record.Boolean("is_active") == false || !usable;
        var imported = new User
        {
            UserId = "django-" + record.Pk,
            Username = username,
            PasswordHash = usable ? encoded : string.Empty,
            Disabled = disabled,
            SecurityStamp = User.NewSecurityStamp(),
            CreatedAt = record.Time("date_joined") ?? time.GetUtcNow(),
            ImportedHashFingerprint = fingerprint,
        };

        var existing = await tables.Users.GetEntityIfExistsAsync<UserEntity>(username, TableKeys.SingletonRow, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            var current = existing.Value!.ToUser();
            if (current.UserId != imported.UserId)
            {
                await Refuse(run, record, run.Report.Users, $"A user named {username} exists here that was not imported from this dump.");
                return;
            }

            run.Users[record.Pk] = new(current.UserId, username);
            if (current.ImportedHashFingerprint == fingerprint && current.Disabled == disabled)
            {
                run.Report.Users.Unchanged++;
                run.Users[record.Pk] = new(current.UserId, username) { Stamp = current.SecurityStamp };
                return;
            }

            // The password changed on the old server, or the account was (de)activated there: as a change made here
            // would, it ends the user's sign-ins and refresh tokens (a new stamp).
            var changed = current with
            {
                PasswordHash = current.ImportedHashFingerprint == fingerprint ? current.PasswordHash : imported.PasswordHash,
                Disabled = disabled,
                SecurityStamp = User.NewSecurityStamp(),
                ImportedHashFingerprint = fingerprint,
            };
            run.Users[record.Pk] = new(current.UserId, username) { Stamp = changed.SecurityStamp };
            if (!run.Settings.DryRun)
            {
                await tables.Users.UpdateEntityAsync(UserEntity.From(changed), existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            run.Report.Users.Updated++;
            return;
        }

        run.Users[record.Pk] = new(imported.UserId, username) { Stamp = imported.SecurityStamp };
        if (!run.Settings.DryRun)
        {
            await SingleUse.AddNewAsync(tables.Users, UserEntity.From(imported), cancellationToken);
        }

        run.Report.Users.Added++;
    }

    private async Task ImportClientAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        var clientId = record.Text("client_id");
        var secret = record.Text("client_secret");
        var redirectUri = record.Text("redirect_uri");
        var type = record.Number("client_type") switch
        {
            0 => ClientType.Confidential,
            1 => ClientType.Public,
            _ => (ClientType?)null,
        };
        if (clientId is null || !TableKeys.IsValidKey(clientId) || redirectUri is null || type is null
            || (type == ClientType.Confidential && string.IsNullOrEmpty(secret)))
        {
            await Refuse(run, record, run.Report.Clients, "The client id, redirect URI, client type (0 or 1) or, for a confidential client, the secret is missing or invalid.");
            return;
        }

        // The rules no server should break are enforced; plain http, which the original allowed, is only reported.
        if (ClientRegistration.Refuse(type.Value, trusted: false, [redirectUri], allowInsecureRedirect: true) is { } refusal)
        {
            await Refuse(run, record, run.Report.Clients, refusal.Message);
            return;
        }

        if (ClientRegistration.Refuse(type.Value, trusted: false, [redirectUri], allowInsecureRedirect: false) is { } warning)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"Client {clientId}: {warning.Message} Imported as the original had it; replace it."));
        }

        if (type == ClientType.Public)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"Client {clientId} is public and may use the code flow without PKCE, as it could before; once its apps send a code_challenge, run oauthctl clients update {clientId} --require-pkce."));
        }

        var grantTypes = new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.Password }
            .Concat(run.Settings.AddGrantTypes)
            .Where(grant => GrantTypes.AllowedFor(type.Value).Contains(grant, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var client = new Client
        {
            ClientId = clientId,
            SecretHash = type == ClientType.Confidential ? SecretHasher.Hash(secret!) : null,
            Name = record.Text("name") is { Length: > 0 } name ? name : clientId,
            Url = record.Text("url") ?? string.Empty,
            RedirectUris = [redirectUri],
            Type = type.Value,
            GrantTypes = grantTypes,
            Scope = scopes.All,
            PkceOptional = type == ClientType.Public,
            Owner = record.Reference("user") is { } owner && run.Users.TryGetValue(owner, out var user) ? user.Username : null,
            CreatedAt = time.GetUtcNow(),
        };

        var existing = await tables.Clients.GetEntityIfExistsAsync<ClientEntity>(clientId, TableKeys.SingletonRow, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            var current = existing.Value!.ToClient();
            if (current.SecretHash != client.SecretHash)
            {
                await Refuse(run, record, run.Report.Clients, $"A client with id {clientId} exists here with a different secret.");
                return;
            }

            run.Clients[record.Pk] = new(clientId, type.Value);
            var updated = current with { Name = client.Name, Url = client.Url, RedirectUris = client.RedirectUris, Type = client.Type, Owner = client.Owner };
            if (updated.Name == current.Name && updated.Url == current.Url && updated.Owner == current.Owner && updated.Type == current.Type
                && updated.RedirectUris.SequenceEqual(current.RedirectUris, StringComparer.Ordinal))
            {
                run.Report.Clients.Unchanged++;
                return;
            }

            if (!run.Settings.DryRun)
            {
                await tables.Clients.UpdateEntityAsync(ClientEntity.From(updated), existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            run.Report.Clients.Updated++;
            return;
        }

        run.Clients[record.Pk] = new(clientId, type.Value);
        if (!run.Settings.DryRun)
        {
            await SingleUse.AddNewAsync(tables.Clients, ClientEntity.From(client), cancellationToken);
        }

        run.Report.Clients.Added++;
    }

    private async Task ImportAccessTokenAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        var expires = record.Time("expires");
        if (expires is null)
        {
            await Refuse(run, record, run.Report.AccessTokens, "The access token has no expiry.");
            return;
        }

        if (expires <= time.GetUtcNow())
        {
            run.Report.AccessTokens.Skipped++;
            return;
        }

        if (await GrantOfAsync(record, run, run.Report.AccessTokens, expires) is not { } grant || record.Text("token") is not { } value)
        {
            return;
        }

        var hash = TokenHandle.HashOf(value);
        var token = new TokenRef(TokenKind.AccessToken, ShardOf(hash), TokenHandle.BucketOf(expires.Value), hash);
        if (run.AccessForRefresh.Contains(record.Pk))
        {
            run.AccessRefs[record.Pk] = token;
        }

        await WriteTokenAsync(run, run.Report.AccessTokens, token, grant, access: null, cancellationToken);
    }

    private async Task ImportRefreshTokenAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        // The original marked a used refresh token expired instead of deleting it: those stay behind.
        if (record.Boolean("expired") == true)
        {
            run.Report.RefreshTokens.Skipped++;
            return;
        }

        if (await GrantOfAsync(record, run, run.Report.RefreshTokens, expires: null) is not { } grant || record.Text("token") is not { } value)
        {
            return;
        }

        // Its access token may have expired (and been skipped): the refresh token still works, as it did.
        var access = record.Reference("access_token") is { } accessPk && run.AccessRefs.TryGetValue(accessPk, out var found) ? found : (TokenRef?)null;
        var hash = TokenHandle.HashOf(value);
        var token = new TokenRef(TokenKind.RefreshToken, ShardOf(hash), TokenHandle.NeverBucket, hash);
        await WriteTokenAsync(run, run.Report.RefreshTokens, token, grant, access, cancellationToken);
    }

    /// <summary>The grant a token stands for, from its client, user and scope, or null (refused) when one is missing.</summary>
    private async Task<TokenGrant?> GrantOfAsync(DumpRecord record, Run run, ImportTally tally, DateTimeOffset? expires)
    {
        if (record.Text("token") is not { Length: > 0 } value || !TokenHandle.IsImportedToken(value))
        {
            await Refuse(run, record, tally, "The token is missing, or is not 20 to 128 URL-safe characters.");
            return null;
        }

        if (record.Reference("client") is not { } clientPk || !run.Clients.TryGetValue(clientPk, out var client))
        {
            await Refuse(run, record, tally, $"Its client (pk {record.Reference("client") ?? "none"}) is not in the dump or was refused.");
            return null;
        }

        if (record.Reference("user") is not { } userPk || !run.Users.TryGetValue(userPk, out var user))
        {
            await Refuse(run, record, tally, $"Its user (pk {record.Reference("user") ?? "none"}) is not in the dump or was refused.");
            return null;
        }

        var bits = record.Number("scope") ?? 0;
        var names = run.Settings.DjangoScopes.Where((_, i) => (bits & (1L << (i + 1))) != 0).ToList();
        var known = names.Where(name => scopes.Defined.Contains(name, StringComparer.Ordinal)).ToList();
        if (names.Count != known.Count || (bits & ~run.DjangoScopeMask) != 0)
        {
            await Refuse(run, record, tally, $"Its scope {bits} names a scope that is not configured here (OAuth__Scopes is {string.Join(",", scopes.Defined)}; the original's are given with --django-scopes).");
            return null;
        }

        var scope = known.Count == 0 ? scopes.DefaultScope : scopes.ToInt([.. known]);
        return new TokenGrant(client.ClientId, user.UserId, user.Username, scope, time.GetUtcNow(), expires, user.Stamp);
    }

    private async Task WriteTokenAsync(Run run, ImportTally tally, TokenRef token, TokenGrant grant, TokenRef? access, CancellationToken cancellationToken)
    {
        var row = TokenEntity.From(TableKeys.TokenPartition(token), TableKeys.TokenRow(token), grant);
        row.ImportedHash = token.Hash;
        if (token.Kind == TokenKind.RefreshToken)
        {
            row.AccessToken = access?.ToString();
            row.Rotated = false;
        }

        var index = new TokenEntity
        {
            PartitionKey = TableKeys.ImportIndexPartition(token.Hash),
            RowKey = token.Hash,
            IssuedAt = grant.IssuedAt,
            ExpiresAt = grant.ExpiresAt,
            Target = token.ToString(),
        };

        if (run.Settings.DryRun)
        {
            var there = await tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(index.PartitionKey, index.RowKey, ["PartitionKey"], cancellationToken);
            if (there.HasValue)
            {
                tally.Unchanged++;
            }
            else
            {
                tally.Added++;
            }

            return;
        }

        run.Pending.Add(new PendingToken(row, index, tally));
    }

    /// <summary>
    /// Writes the buffered tokens. The index row goes first and decides: one already there means the token was imported
    /// before, and whatever became of it since (rotated, revoked, purged) stands: a token is never brought back. For a
    /// new index row the token's row follows (entity-group transactions of up to 100 rows per partition); if that write
    /// fails, the new index rows are removed again, so that running the import again finishes the job.
    /// </summary>
    private async Task FlushAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Pending.Count == 0)
        {
            return;
        }

        var pending = run.Pending.ToList();
        run.Pending.Clear();
        var indexed = new HashSet<TokenEntity>();
        foreach (var chunk in pending.GroupBy(p => p.Index.PartitionKey).SelectMany(group => group.Chunk(TableBatches.MaxBatch)))
        {
            indexed.UnionWith(await AddAllAsync(tables.Tokens, [.. chunk.Select(p => p.Index)], cancellationToken));
        }

        var fresh = pending.Where(p => indexed.Contains(p.Index)).ToList();
        try
        {
            foreach (var chunk in fresh.GroupBy(p => p.Row.PartitionKey).SelectMany(group => group.Chunk(TableBatches.MaxBatch)))
            {
                await AddAllAsync(tables.Tokens, [.. chunk.Select(p => p.Row)], cancellationToken);
            }
        }
        catch (Exception ex) when (StorageFaults.IsTransient(ex, cancellationToken))
        {
            foreach (var token in fresh)
            {
                await tables.Tokens.DeleteEntityAsync(token.Index.PartitionKey, token.Index.RowKey, Azure.ETag.All, CancellationToken.None);
            }

            throw;
        }

        foreach (var token in pending)
        {
            if (indexed.Contains(token.Index))
            {
                token.Tally.Added++;
            }
            else
            {
                token.Tally.Unchanged++;
            }
        }
    }

    /// <summary>Adds rows of one partition in one transaction; if some exist already, one by one. Returns those added.</summary>
    private static async Task<IReadOnlyList<TokenEntity>> AddAllAsync(TableClient table, TokenEntity[] rows, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken);
            return rows;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            var added = new List<TokenEntity>();
            foreach (var row in rows)
            {
                if (await SingleUse.AddNewAsync(table, row, cancellationToken))
                {
                    added.Add(row);
                }
            }

            return added;
        }
    }

    private static Task Refuse(Run run, DumpRecord record, ImportTally? tally, string reason)
    {
        run.Report.Refused.Add(new ImportNote(record.Model, record.Pk, reason));
        if (tally is not null)
        {
            tally.Refused++;
        }

        return Task.CompletedTask;
    }

    /// <summary>A token's shard, from its hash, so that a second import finds the same row.</summary>
    private static int ShardOf(string hash) => hash[0] % TokenHandle.ShardCount;

    private static string Algorithm(string encoded) =>
        encoded.StartsWith('!') ? "unusable password" : encoded.Split('$')[0] is { Length: > 0 and < 40 } name ? name : "unknown format";

    [LoggerMessage(Level = LogLevel.Information, Message = "Django import (dry run: {DryRun}) wrote {Users} users, {Clients} clients, {AccessTokens} access tokens, {RefreshTokens} refresh tokens; refused {Refused} records")]
    private static partial void LogImported(ILogger logger, bool dryRun, int users, int clients, int accessTokens, int refreshTokens, int refused);

    private sealed record UserRef(string UserId, string Username)
    {
        public string? Stamp { get; init; }
    }

    private sealed record ClientRef(string ClientId, ClientType Type);

    private sealed record PendingToken(TokenEntity Row, TokenEntity Index, ImportTally Tally);

    /// <summary>One import's state: the maps from the dump's primary keys to what was written for them.</summary>
    private sealed class Run(DjangoImportSettings settings, ImportReport report)
    {
        public DjangoImportSettings Settings { get; } = settings;

        public ImportReport Report { get; } = report;

        public long DjangoScopeMask { get; } = Enumerable.Range(0, settings.DjangoScopes.Count).Aggregate(0L, (mask, i) => mask | (1L << (i + 1)));

        public Dictionary<string, UserRef> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ClientRef> Clients { get; } = new(StringComparer.Ordinal);

        public HashSet<string> AccessForRefresh { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, TokenRef> AccessRefs { get; } = new(StringComparer.Ordinal);

        public List<PendingToken> Pending { get; } = [];

        public int Buffered => Pending.Count;
    }
}

/// <summary>What the dump does not say: the original's scope names, and grant types to allow beyond the original's.</summary>
public sealed record DjangoImportSettings
{
    /// <summary>The original's <c>OAUTH_SCOPES</c> names in order (the i-th had bit <c>1 &lt;&lt; (i + 1)</c>).</summary>
    public IReadOnlyList<string> DjangoScopes { get; init; } = ["read", "write"];

    /// <summary>Grant types to allow imported clients besides authorization_code, refresh_token and password.</summary>
    public IReadOnlyList<string> AddGrantTypes { get; init; } = [];

    public bool DryRun { get; init; }
}
