using System.Globalization;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>
/// Codes, access tokens and families in dictionaries, with the Table store's contract (the same contract suite runs
/// against both): versions that change on every write, single-use commits decided by the version read, revocation
/// that reaches a family's live end. It has no faults and no purge; the Azurite tests prove those.
/// </summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly Dictionary<TokenRef, StoredCode> _codes = [];
    private readonly Dictionary<TokenRef, StoredAccessToken> _access = [];
    private readonly Dictionary<FamilyKey, StoredFamily> _families = [];
    private readonly Dictionary<TokenRef, StoredLegacyRefreshToken> _legacy = [];
    private readonly Dictionary<string, TokenRef> _imported = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    /// <summary>Runs before each write, outside the lock: tests use it to interleave requests at a chosen point.</summary>
    public Func<string, Task>? BeforeWrite { get; set; }

    public int AccessTokenCount
    {
        get
        {
            lock (_gate)
            {
                return _access.Count;
            }
        }
    }

    public Task SaveCodeAsync(NewCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return WriteAsync("save-code", () => _codes[code.Handle.Ref] = new StoredCode(
            code.Handle.Ref, code.Grant, code.RedirectUri, code.RedirectUriGiven, code.CodeChallenge, false, null, null, NextVersion(), code.Nonce, code.Profile));
    }

    public Task<StoredCode?> FindCodeAsync(TokenHandle code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Read(() => _codes.GetValueOrDefault(code.Ref));
    }

    public Task<StoredAccessToken?> FindAccessTokenAsync(TokenRef token, CancellationToken cancellationToken) =>
        Read(() => _access.GetValueOrDefault(token));

    public Task<StoredAccessToken?> FindAccessTokenAsync(TokenHandle token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return FindAccessTokenAsync(token.Ref, cancellationToken);
    }

    public Task<TokenRef?> FindImportedAsync(string hash, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_imported.TryGetValue(hash, out var row) ? row : (TokenRef?)null);
        }
    }

    public Task<StoredFamily?> FindFamilyAsync(FamilyKey family, CancellationToken cancellationToken) =>
        Read(() => _families.GetValueOrDefault(family));

    public Task<StoredLegacyRefreshToken?> FindLegacyRefreshTokenAsync(TokenRef token, CancellationToken cancellationToken) =>
        Read(() => _legacy.GetValueOrDefault(token));

    public Task IssueAsync(NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return WriteAsync("issue", () => Add(tokens));
    }

    public async Task<CommitResult> RedeemCodeAsync(StoredCode code, NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(tokens);
        await WriteAsync("redeem-insert", () => Add(tokens));
        var committed = false;
        await WriteAsync("redeem-commit", () =>
        {
            if (_codes.TryGetValue(code.Ref, out var current) && current.Version == code.Version)
            {
                _codes[code.Ref] = current with { Used = true, IssuedAccessToken = tokens.Access.Handle.Ref, IssuedFamily = tokens.Family, Version = NextVersion() };
                committed = true;
            }
            else
            {
                Remove(tokens);
            }
        });
        return committed ? CommitResult.Committed : CommitResult.AlreadyUsed;
    }

    public async Task<CommitResult> RotateAsync(StoredFamily family, NewTokenPair tokens, Task<bool> proceed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(proceed);
        var refresh = tokens.Refresh ?? throw new ArgumentException("A rotation issues a refresh token.", nameof(tokens));
        await WriteAsync("rotate-insert", () =>
        {
            _access[tokens.Access.Handle.Ref] = new StoredAccessToken(tokens.Access.Handle.Ref, tokens.Access.Grant, family.Key);
            if (family.CurrentAccessToken is { } old)
            {
                _access.Remove(old);
            }
        });
        if (!await proceed)
        {
            await WriteAsync("rotate-withdraw", () => _access.Remove(tokens.Access.Handle.Ref));
            return CommitResult.Withdrawn;
        }

        var committed = false;
        await WriteAsync("rotate-commit", () =>
        {
            if (_families.TryGetValue(family.Key, out var current) && current.Version == family.Version)
            {
                _families[family.Key] = current with
                {
                    CurrentHash = refresh.Handle.Hash,
                    CurrentAccessToken = tokens.Access.Handle.Ref,
                    Grant = current.Grant with { IssuedAt = refresh.Grant.IssuedAt, ExpiresAt = refresh.Grant.ExpiresAt },
                    Rotations = current.Rotations + 1,
                    Version = NextVersion(),
                };
                committed = true;
            }
            else
            {
                _access.Remove(tokens.Access.Handle.Ref);
            }
        });
        return committed ? CommitResult.Committed : CommitResult.AlreadyUsed;
    }

    public async Task<CommitResult> UpgradeLegacyAsync(StoredLegacyRefreshToken token, NewTokenPair tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(tokens);
        await WriteAsync("upgrade-insert", () =>
        {
            Add(tokens);
            if (token.AccessToken is { } old)
            {
                _access.Remove(old);
            }
        });
        var committed = false;
        await WriteAsync("upgrade-commit", () =>
        {
            if (_legacy.TryGetValue(token.Ref, out var current) && current.Version == token.Version)
            {
                _legacy[token.Ref] = current with { Rotated = true, SuccessorFamily = tokens.Family, Version = NextVersion() };
                committed = true;
            }
            else
            {
                Remove(tokens);
            }
        });
        return committed ? CommitResult.Committed : CommitResult.AlreadyUsed;
    }

    public Task RevokeAccessTokenAsync(TokenRef accessToken, CancellationToken cancellationToken) =>
        WriteAsync("revoke-access", () => _access.Remove(accessToken));

    public async Task RevokeFamilyAsync(StoredFamily family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (!family.Revoked)
        {
            await WriteAsync("revoke-access", () => Remove(family.CurrentAccessToken));
            var done = false;
            await WriteAsync("revoke-family", () =>
            {
                if (!_families.TryGetValue(family.Key, out var current) || current.Version == family.Version)
                {
                    _families.Remove(family.Key);
                    done = true;
                }
            });
            if (done)
            {
                return;
            }

            await WriteAsync("revoke-mark", () =>
            {
                if (_families.TryGetValue(family.Key, out var current))
                {
                    _families[family.Key] = current with { Revoked = true, Version = NextVersion() };
                }
            });
        }

        await WriteAsync("revoke-finish", () =>
        {
            if (_families.Remove(family.Key, out var frozen))
            {
                Remove(frozen.CurrentAccessToken);
            }
        });
    }

    public async Task<bool> RevokeLegacyRefreshTokenAsync(StoredLegacyRefreshToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var done = false;
        await WriteAsync("revoke-legacy", () =>
        {
            Remove(token.AccessToken);
            if (!_legacy.TryGetValue(token.Ref, out var current) || current.Version == token.Version)
            {
                _legacy.Remove(token.Ref);
                done = true;
            }
        });
        return done;
    }

    /// <summary>A refresh token from before families, as an old deployment left it (there is no other way to make one).</summary>
    public StoredLegacyRefreshToken SeedLegacy(TokenRef token, TokenGrant grant, TokenRef? accessToken)
    {
        lock (_gate)
        {
            var stored = new StoredLegacyRefreshToken(token, grant, accessToken, false, null, null, NextVersion());
            _legacy[token] = stored;
            return stored;
        }
    }

    private void Add(NewTokenPair tokens)
    {
        _access[tokens.Access.Handle.Ref] = new StoredAccessToken(tokens.Access.Handle.Ref, tokens.Access.Grant, tokens.Family);
        if (tokens.Refresh is { } refresh && tokens.Family is { } family)
        {
            _families[family] = new StoredFamily(family, refresh.Grant, refresh.Handle.Hash, tokens.Access.Handle.Ref, false, 0, NextVersion());
        }
    }

    private void Remove(NewTokenPair tokens)
    {
        _access.Remove(tokens.Access.Handle.Ref);
        if (tokens.Family is { } family)
        {
            _families.Remove(family);
        }
    }

    private void Remove(TokenRef? accessToken)
    {
        if (accessToken is { } token)
        {
            _access.Remove(token);
        }
    }

    private string NextVersion() => (++_version).ToString(CultureInfo.InvariantCulture);

    private Task<T?> Read<T>(Func<T?> read)
        where T : class
    {
        lock (_gate)
        {
            return Task.FromResult(read());
        }
    }

    private async Task WriteAsync(string step, Action write)
    {
        if (BeforeWrite is { } hook)
        {
            await hook(step);
        }

        lock (_gate)
        {
            write();
        }
    }
}
