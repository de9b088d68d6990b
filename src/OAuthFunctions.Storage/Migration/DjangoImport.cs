using Azure;
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
/// never whole. Idempotent: every imported user and client gets an import record (its own row, written with it) of
/// what the dump said, so a re-import changes only what the old server changed, refuses to take over what was not
/// imported, and does not bring back what was removed here; every imported token keeps an index row, so a token is
/// never imported twice. Each record is refused or written whole.
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

    /// <summary>Table Storage keeps at most 32K characters in a string property; longer values are refused per record.</summary>
    private const int MaxText = 32_000;

    private static readonly string[] KnownModels = [UserModel, ClientModel, GrantModel, AccessTokenModel, RefreshTokenModel];

    /// <param name="open">Opens the dump (called once per pass).</param>
    /// <param name="settings">How to map what django-oauth2-provider's dump does not say.</param>
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

    /// <summary>
    /// A user and their import record (the same partition, written together): the record remembers what the dump said
    /// last time, so that a re-import changes only what changed on the old server, never what an administrator changed
    /// here, and never brings back a user removed here.
    /// </summary>
    private async Task ImportUserAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        var username = record.Text("username");
        var encoded = record.Text("password");
        if (username is null || !Usernames.IsValid(username) || encoded is null || encoded.Length > MaxText)
        {
            await Refuse(run, record, run.Report.Users, "The username is missing or not a valid username, or the password field is missing or too long.");
            return;
        }

        if (!run.UserPks.Add(record.Pk))
        {
            await Refuse(run, record, run.Report.Users, $"A second auth.user with pk {record.Pk} in the same dump.");
            return;
        }

        var usable = DjangoHash.TryParse(encoded, out _);
        var active = record.Boolean("is_active") != false;
        var fingerprint = TokenHandle.HashOf(encoded);
        var importRecord = await ReadAsync<ImportRecordEntity>(tables.Users, username, ImportRecordEntity.Row, cancellationToken);
        var existing = await ReadAsync<UserEntity>(tables.Users, username, TableKeys.SingletonRow, cancellationToken);

        if (importRecord is null && existing is not null)
        {
            await Refuse(run, record, run.Report.Users, $"A user named {username} exists here that was not imported.");
            return;
        }

        if (importRecord is not null && existing is null)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"User {username} was removed here since an earlier import; not restored, nor their tokens."));
            run.Report.Users.Skipped++;
            run.RemovedUsers.Add(record.Pk);
            return;
        }

        if (!usable)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"User {username}: the password hash ({Algorithm(encoded)}) is not one this server verifies (pbkdf2_sha256 or pbkdf2_sha1 with at most {DjangoHash.MaxIterations:N0} iterations); imported disabled: set a password with oauthctl users set-password, then enable."));
        }

        if (importRecord is not null && existing is not null)
        {
            var current = existing.ToUser();
            if (current.UserId != importRecord.UserId)
            {
                await Refuse(run, record, run.Report.Users, $"The user named {username} here is not the one imported earlier.");
                return;
            }

            run.Users[record.Pk] = new(current.UserId, username, current.SecurityStamp, current.Disabled);
            var passwordChanged = importRecord.Fingerprint != fingerprint;
            var activeChanged = importRecord.Active != active;
            if (!passwordChanged && !activeChanged)
            {
                run.Report.Users.Unchanged++;
                return;
            }

            // The old server changed the password or (de)activated the account: as a change made here would, it ends the
            // user's sign-ins and refresh tokens. What this server changed itself (a disable, a new password) stays
            // unless the old server changed that very thing.
            var changed = current with
            {
                PasswordHash = passwordChanged ? (usable ? encoded : string.Empty) : current.PasswordHash,
                Disabled = activeChanged || (passwordChanged && !usable) ? !active || !usable : current.Disabled,
                SecurityStamp = User.NewSecurityStamp(),
            };
            run.Users[record.Pk] = new(changed.UserId, username, changed.SecurityStamp, changed.Disabled);
            if (!run.Settings.DryRun)
            {
                await WriteTogetherAsync(
                    tables.Users,
                    [
                        new(TableTransactionActionType.UpdateReplace, UserEntity.From(changed), existing.ETag),
                        new(TableTransactionActionType.UpdateReplace, new ImportRecordEntity(username, current.UserId, fingerprint, active, record.Pk), importRecord.ETag),
                    ],
                    cancellationToken);
            }

            run.Report.Users.Updated++;
            return;
        }

        var imported = new User
        {
            UserId = Guid.NewGuid().ToString("N"),
            Username = username,
            PasswordHash = usable ? encoded : string.Empty,
            Disabled = !active || !usable,
            SecurityStamp = User.NewSecurityStamp(),
            CreatedAt = record.Time("date_joined") ?? time.GetUtcNow(),
        };
        run.Users[record.Pk] = new(imported.UserId, username, imported.SecurityStamp, imported.Disabled);
        if (!run.Settings.DryRun)
        {
            await WriteTogetherAsync(
                tables.Users,
                [
                    new(TableTransactionActionType.Add, UserEntity.From(imported)),
                    new(TableTransactionActionType.Add, new ImportRecordEntity(username, imported.UserId, fingerprint, active, record.Pk)),
                ],
                cancellationToken);
        }

        run.Report.Users.Added++;
    }

    /// <summary>A client and its import record, on the same terms as users.</summary>
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
            || (type == ClientType.Confidential && string.IsNullOrEmpty(secret))
            || new[] { secret, redirectUri, record.Text("name"), record.Text("url") }.Any(text => text?.Length > MaxText))
        {
            await Refuse(run, record, run.Report.Clients, "The client id, redirect URI, client type (0 or 1) or, for a confidential client, the secret is missing, invalid or too long.");
            return;
        }

        if (!run.ClientPks.Add(record.Pk))
        {
            await Refuse(run, record, run.Report.Clients, $"A second oauth2.client with pk {record.Pk} in the same dump.");
            return;
        }

        // The rules no server should break are enforced; plain http, which django-oauth2-provider allowed, is only reported.
        if (ClientRegistration.Refuse(type.Value, trusted: false, [redirectUri], allowInsecureRedirect: true) is { } refusal)
        {
            await Refuse(run, record, run.Report.Clients, refusal.Message);
            return;
        }

        var secretHash = type == ClientType.Confidential ? SecretHasher.Hash(secret!) : null;
        var name = record.Text("name") is { Length: > 0 } given ? given : clientId;
        var url = record.Text("url") ?? string.Empty;
        var owner = record.Reference("user") is { } ownerPk && run.Users.TryGetValue(ownerPk, out var user) ? user.Username : null;
        var fingerprint = TokenHandle.HashOf(string.Join('\n', secretHash ?? "-", name, url, redirectUri, type.ToString(), owner ?? "-"));
        var importRecord = await ReadAsync<ImportRecordEntity>(tables.Clients, clientId, ImportRecordEntity.Row, cancellationToken);
        var existing = await ReadAsync<ClientEntity>(tables.Clients, clientId, TableKeys.SingletonRow, cancellationToken);

        if (importRecord is null && existing is not null)
        {
            await Refuse(run, record, run.Report.Clients, $"A client with id {clientId} exists here that was not imported.");
            return;
        }

        if (importRecord is not null && existing is null)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"Client {clientId} was removed here since an earlier import; not restored, nor its tokens."));
            run.Report.Clients.Skipped++;
            run.RemovedClients.Add(record.Pk);
            return;
        }

        if (ClientRegistration.Refuse(type.Value, trusted: false, [redirectUri], allowInsecureRedirect: false) is { } warning)
        {
            run.Report.Warnings.Add(new(record.Model, record.Pk, $"Client {clientId}: {warning.Message} Imported as django-oauth2-provider had it; replace it."));
        }

        if (importRecord is not null && existing is not null)
        {
            var current = existing.ToClient();
            if (current.SecretHash != secretHash)
            {
                await Refuse(run, record, run.Report.Clients, $"A client with id {clientId} exists here with a different secret.");
                return;
            }

            run.Clients[record.Pk] = new(clientId, current.Type);
            if (importRecord.Fingerprint == fingerprint)
            {
                run.Report.Clients.Unchanged++;
                return;
            }

            // Only what the old server changed; what an administrator changed here (--require-pkce, origins) stays.
            var updated = current with { Name = name, Url = url, RedirectUris = [redirectUri], Owner = owner };
            if (!run.Settings.DryRun)
            {
                await WriteTogetherAsync(
                    tables.Clients,
                    [
                        new(TableTransactionActionType.UpdateReplace, ClientEntity.From(updated), existing.ETag),
                        new(TableTransactionActionType.UpdateReplace, new ImportRecordEntity(clientId, null, fingerprint, true, record.Pk), importRecord.ETag),
                    ],
                    cancellationToken);
            }

            run.Report.Clients.Updated++;
            return;
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
            SecretHash = secretHash,
            Name = name,
            Url = url,
            RedirectUris = [redirectUri],
            Type = type.Value,
            GrantTypes = grantTypes,
            Scope = scopes.All,
            PkceOptional = type == ClientType.Public,
            Owner = owner,
            CreatedAt = time.GetUtcNow(),
        };
        run.Clients[record.Pk] = new(clientId, type.Value);
        if (!run.Settings.DryRun)
        {
            await WriteTogetherAsync(
                tables.Clients,
                [
                    new(TableTransactionActionType.Add, ClientEntity.From(client)),
                    new(TableTransactionActionType.Add, new ImportRecordEntity(clientId, null, fingerprint, true, record.Pk)),
                ],
                cancellationToken);
        }

        run.Report.Clients.Added++;
    }

    private async Task ImportAccessTokenAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        // The original's refresh tokens have no scope of their own: theirs is their access token's, expired or not.
        if (run.AccessForRefresh.Contains(record.Pk))
        {
            run.AccessScopes[record.Pk] = record.Number("scope") ?? 0;
        }

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

        var (grant, hash) = await GrantOfAsync(record, run, run.Report.AccessTokens, expires, record.Number("scope") ?? 0);
        if (grant is null)
        {
            return;
        }

        var token = new TokenRef(TokenKind.AccessToken, ShardOf(hash), TokenHandle.BucketOf(expires.Value), hash);
        if (run.AccessForRefresh.Contains(record.Pk))
        {
            run.AccessRefs[record.Pk] = new(token, grant.ClientId, grant.UserId!);
        }

        Queue(run, record, run.Report.AccessTokens, token, grant, access: null);
    }

    private async Task ImportRefreshTokenAsync(DumpRecord record, Run run, CancellationToken cancellationToken)
    {
        // The original marked a used refresh token expired instead of deleting it: those stay behind.
        if (record.Boolean("expired") == true)
        {
            run.Report.RefreshTokens.Skipped++;
            return;
        }

        if (record.Reference("access_token") is not { } accessPk || !run.AccessScopes.TryGetValue(accessPk, out var scope))
        {
            await Refuse(run, record, run.Report.RefreshTokens, $"Its access token (pk {record.Reference("access_token") ?? "none"}), which holds its scope, is not in the dump.");
            return;
        }

        var (grant, hash) = await GrantOfAsync(record, run, run.Report.RefreshTokens, expires: null, scope);
        if (grant is null)
        {
            return;
        }

        // Its access token may have expired (and been skipped): the refresh token still works, as it did. It is linked only
        // to an access token of the same client and user, and only once: using it deletes that access token.
        TokenRef? access = null;
        if (run.AccessRefs.TryGetValue(accessPk, out var found)
            && found.ClientId == grant.ClientId && found.UserId == grant.UserId && run.LinkedAccess.Add(accessPk))
        {
            access = found.Token;
        }

        var token = new TokenRef(TokenKind.RefreshToken, ShardOf(hash), TokenHandle.NeverBucket, hash);
        Queue(run, record, run.Report.RefreshTokens, token, grant, access);
    }

    /// <summary>
    /// The grant a token stands for and the hash of its value, or (null, "") when the record is refused or skipped: its
    /// client or user missing or refused, a user imported disabled (a disabled user here has no live tokens), a scope
    /// that means nothing here, or a value already seen in this dump.
    /// </summary>
    private async Task<(TokenGrant? Grant, string Hash)> GrantOfAsync(DumpRecord record, Run run, ImportTally tally, DateTimeOffset? expires, long bits)
    {
        if (record.Text("token") is not { Length: > 0 } value || !TokenHandle.IsImportedToken(value))
        {
            await Refuse(run, record, tally, "The token is missing, or is not 20 to 128 URL-safe characters.");
            return (null, string.Empty);
        }

        if ((record.Reference("client") is { } removedClient && run.RemovedClients.Contains(removedClient))
            || (record.Reference("user") is { } removedUser && run.RemovedUsers.Contains(removedUser)))
        {
            tally.Skipped++;
            return (null, string.Empty);
        }

        if (record.Reference("client") is not { } clientPk || !run.Clients.TryGetValue(clientPk, out var client))
        {
            await Refuse(run, record, tally, $"Its client (pk {record.Reference("client") ?? "none"}) is not in the dump or was refused.");
            return (null, string.Empty);
        }

        if (record.Reference("user") is not { } userPk || !run.Users.TryGetValue(userPk, out var user))
        {
            await Refuse(run, record, tally, $"Its user (pk {record.Reference("user") ?? "none"}) is not in the dump or was refused.");
            return (null, string.Empty);
        }

        if (user.Disabled)
        {
            tally.Skipped++;
            return (null, string.Empty);
        }

        var names = run.Settings.DjangoScopes.Where((_, i) => (bits & (1L << (i + 1))) != 0).ToList();
        var known = names.Where(name => scopes.Defined.Contains(name, StringComparer.Ordinal)).ToList();
        if (bits == 0 || names.Count != known.Count || (bits & ~run.DjangoScopeMask) != 0)
        {
            await Refuse(run, record, tally, $"Its scope {bits} names no scope, or one that is not configured here (OAuth__Scopes is {string.Join(",", scopes.Defined)}; the old server's are given with --django-scopes).");
            return (null, string.Empty);
        }

        var hash = TokenHandle.HashOf(value);
        if (!run.Hashes.Add(hash))
        {
            await Refuse(run, record, tally, "The same token value appears earlier in the dump.");
            return (null, string.Empty);
        }

        return (new TokenGrant(client.ClientId, user.UserId, user.Username, scopes.ToInt([.. known]), time.GetUtcNow(), expires, user.Stamp), hash);
    }

    private static void Queue(Run run, DumpRecord record, ImportTally tally, TokenRef token, TokenGrant grant, TokenRef? access)
    {
        var row = TokenEntity.From(TableKeys.TokenPartition(token), TableKeys.TokenRow(token), grant);
        if (token.Kind == TokenKind.RefreshToken)
        {
            row.AccessToken = access?.ToString();
            row.Rotated = false;
        }

        // An access token's index row goes at its expiry, whatever became of the token (used, revoked): a tombstone in
        // the token's own partition tells purge. A refresh token's index row stays: it is the record that the token was
        // imported, and a re-import must never bring back a refresh token rotated or revoked here.
        var tombstone = token.Kind == TokenKind.AccessToken
            ? TokenEntity.Tombstone(row.PartitionKey, TableKeys.ImportIndexTarget(token.Hash), grant.IssuedAt, grant.ExpiresAt!.Value)
            : null;
        var index = new TokenEntity
        {
            PartitionKey = TableKeys.ImportIndexPartition(token.Hash),
            RowKey = token.Hash,
            IssuedAt = grant.IssuedAt,
            ExpiresAt = grant.ExpiresAt,
            Target = token.ToString(),
        };
        run.Pending.Add(new PendingToken(record, row, tombstone, index, tally));
    }

    /// <summary>
    /// Writes the buffered tokens. The index row decides: one already there means the token was imported before, and
    /// whatever became of it since (rotated, revoked, purged) stands. For the others the token's row (with its
    /// tombstone, in one transaction) is written first and the index row last, so an index row never names a row that
    /// is not there; after an outage, running the import again finishes the job. A record storage refuses (a value too
    /// large) is refused by model and primary key; the rest goes on.
    /// </summary>
    private async Task FlushAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Pending.Count == 0)
        {
            return;
        }

        var pending = run.Pending.ToList();
        run.Pending.Clear();
        var exists = await Task.WhenAll(pending.Select(async token =>
        {
            await run.Reads.WaitAsync(cancellationToken);
            try
            {
                return await ReadAsync<TokenEntity>(tables.Tokens, token.Index.PartitionKey, token.Index.RowKey, cancellationToken) is not null;
            }
            finally
            {
                run.Reads.Release();
            }
        }));
        var fresh = pending.Where((_, i) => !exists[i]).ToList();
        foreach (var token in pending.Where((_, i) => exists[i]))
        {
            token.Tally.Unchanged++;
        }

        if (run.Settings.DryRun)
        {
            fresh.ForEach(token => token.Tally.Added++);
            return;
        }

        var written = new List<PendingToken>();
        foreach (var chunk in fresh.GroupBy(token => token.Row.PartitionKey).SelectMany(group => group.Chunk(TableBatches.MaxBatch / 2)))
        {
            written.AddRange(await AddAsync(chunk, token => token.Tombstone is null ? [token.Row] : [token.Row, token.Tombstone], run, cancellationToken));
        }

        var indexed = new List<PendingToken>();
        foreach (var chunk in written.GroupBy(token => token.Index.PartitionKey).SelectMany(group => group.Chunk(TableBatches.MaxBatch)))
        {
            indexed.AddRange(await AddAsync(chunk, token => [token.Index], run, cancellationToken));
        }

        indexed.ForEach(token => token.Tally.Added++);
    }

    /// <summary>
    /// Adds the rows of tokens of one partition in one transaction; rows already there (an interrupted earlier run) are
    /// fine. If the transaction fails, token by token, refusing each one storage refuses. Returns the tokens written.
    /// </summary>
    private async Task<IReadOnlyList<PendingToken>> AddAsync(PendingToken[] tokens, Func<PendingToken, TokenEntity[]> rowsOf, Run run, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Tokens.SubmitTransactionAsync(tokens.SelectMany(rowsOf).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken);
            return tokens;
        }
        catch (RequestFailedException ex) when (!StorageFaults.IsTransient(ex, cancellationToken))
        {
            var written = new List<PendingToken>();
            foreach (var token in tokens)
            {
                try
                {
                    foreach (var row in rowsOf(token))
                    {
                        await SingleUse.AddNewAsync(tables.Tokens, row, cancellationToken);
                    }

                    written.Add(token);
                }
                catch (RequestFailedException failed) when (!StorageFaults.IsTransient(failed, cancellationToken))
                {
                    await Refuse(run, token.Record, token.Tally, $"Storage refused it ({failed.Status} {failed.ErrorCode}).");
                }
            }

            return written;
        }
    }

    private static async Task<T?> ReadAsync<T>(TableClient table, string partition, string row, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var found = await table.GetEntityIfExistsAsync<T>(partition, row, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Writes a row and its import record in one entity-group transaction: both or neither.</summary>
    private static async Task WriteTogetherAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        await table.SubmitTransactionAsync(actions, cancellationToken);

    private static Task Refuse(Run run, DumpRecord record, ImportTally? tally, string reason)
    {
        run.Report.Refused.Add(new ImportNote(record.Model, record.Pk, reason));
        if (tally is not null)
        {
            tally.Refused++;
        }

        return Task.CompletedTask;
    }

    /// <summary>A token's shard, from its hash, so that a second import finds the same row whatever OAuth__TokenShards says then.</summary>
    private static int ShardOf(string hash) => hash[0] % TokenHandle.DefaultShards;

    private static string Algorithm(string encoded) =>
        encoded.StartsWith('!') ? "unusable password" : encoded.Split('$')[0] is { Length: > 0 and < 40 } name ? name : "unknown format";

    [LoggerMessage(Level = LogLevel.Information, Message = "Django import (dry run: {DryRun}) wrote {Users} users, {Clients} clients, {AccessTokens} access tokens, {RefreshTokens} refresh tokens; refused {Refused} records")]
    private static partial void LogImported(ILogger logger, bool dryRun, int users, int clients, int accessTokens, int refreshTokens, int refused);

    private sealed record UserRef(string UserId, string Username, string Stamp, bool Disabled);

    private sealed record ClientRef(string ClientId, ClientType Type);

    private sealed record AccessRef(TokenRef Token, string ClientId, string UserId);

    private sealed record PendingToken(DumpRecord Record, TokenEntity Row, TokenEntity? Tombstone, TokenEntity Index, ImportTally Tally);

    /// <summary>One import's state: the maps from the dump's primary keys to what was written for them.</summary>
    private sealed class Run(DjangoImportSettings settings, ImportReport report)
    {
        public DjangoImportSettings Settings { get; } = settings;

        public ImportReport Report { get; } = report;

        public long DjangoScopeMask { get; } = Enumerable.Range(0, settings.DjangoScopes.Count).Aggregate(0L, (mask, i) => mask | (1L << (i + 1)));

        public Dictionary<string, UserRef> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ClientRef> Clients { get; } = new(StringComparer.Ordinal);

        public HashSet<string> AccessForRefresh { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AccessRef> AccessRefs { get; } = new(StringComparer.Ordinal);

        public HashSet<string> LinkedAccess { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> AccessScopes { get; } = new(StringComparer.Ordinal);

        public HashSet<string> UserPks { get; } = new(StringComparer.Ordinal);

        public HashSet<string> ClientPks { get; } = new(StringComparer.Ordinal);

        public HashSet<string> RemovedClients { get; } = new(StringComparer.Ordinal);

        public HashSet<string> RemovedUsers { get; } = new(StringComparer.Ordinal);

        /// <summary>Hashes of the token values seen in this run: django-oauth2-provider's token column is not unique.</summary>
        public HashSet<string> Hashes { get; } = new(StringComparer.Ordinal);

        /// <summary>Index reads in flight at once.</summary>
        public SemaphoreSlim Reads { get; } = new(16);

        public List<PendingToken> Pending { get; } = [];

        public int Buffered => Pending.Count;
    }
}

/// <summary>What the dump does not say: django-oauth2-provider's scope names, and grant types to allow beyond its own.</summary>
public sealed record DjangoImportSettings
{
    /// <summary>The original's <c>OAUTH_SCOPES</c> names in order (the i-th had bit <c>1 &lt;&lt; (i + 1)</c>).</summary>
    public IReadOnlyList<string> DjangoScopes { get; init; } = ["read", "write"];

    /// <summary>Grant types to allow imported clients besides authorization_code, refresh_token and password.</summary>
    public IReadOnlyList<string> AddGrantTypes { get; init; } = [];

    public bool DryRun { get; init; }
}
