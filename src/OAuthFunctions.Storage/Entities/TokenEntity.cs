using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Storage.Entities;

/// <summary>
/// One row of the Tokens table: an authorization code, an access token, a refresh token family, a refresh token from
/// before families, or a tombstone (docs/ARCHITECTURE.md, "Keys"). The columns a kind does not use stay null (Table
/// Storage stores no empty columns). No column holds a token value: only hashes, and links to other rows.
/// </summary>
public sealed class TokenEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? ClientId { get; set; }

    public string? UserId { get; set; }

    public string? Username { get; set; }

    /// <summary>The user's security stamp when the grant was made.</summary>
    public string? Stamp { get; set; }

    public int Scope { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>When the person signed in (OpenID Connect <c>auth_time</c>): codes, access tokens and families of the code flow.</summary>
    public DateTimeOffset? AuthTime { get; set; }

    /// <summary>Null for what never expires. Purge filters the current hour on it; a family's is its live token's.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Access tokens: the family they were issued with. Codes: the family their redemption started.</summary>
    public string? Family { get; set; }

    // Authorization codes.
    public string? RedirectUri { get; set; }

    public bool? RedirectUriGiven { get; set; }

    public string? CodeChallenge { get; set; }

    public bool? Used { get; set; }

    /// <summary>Codes of OpenID Connect requests: the request's nonce, for the ID token (OpenID Connect Core §3.1.3.6).</summary>
    public string? Nonce { get; set; }

    /// <summary>Codes: the profile claims their scopes release, so the exchange signs the ID token without reading the user.</summary>
    public string? ProfileName { get; set; }

    public string? ProfileEmail { get; set; }

    public bool? ProfileEmailVerified { get; set; }

    public string? IssuedAccessToken { get; set; }

    // Families: the hash of the live refresh token and (in AccessToken) its access token.
    public string? Current { get; set; }

    public bool? Revoked { get; set; }

    public int? Rotations { get; set; }

    // Families and refresh tokens from before families: the live access token.
    public string? AccessToken { get; set; }

    // Refresh tokens from before families.
    public bool? Rotated { get; set; }

    /// <summary>What a used pre-family refresh token became: a family ("f…") or, rotated before families, its successor's row.</summary>
    public string? Successor { get; set; }

    public DateTimeOffset? RotatedAt { get; set; }

    // Tombstones: the row to look at when this row's hour has passed (a rotated pre-family token, a family, or the index
    // row of an imported access token). Import index rows: where the imported token is stored.
    public string? Target { get; set; }

    public TokenGrant ToGrant() => new(ClientId ?? string.Empty, UserId, Username, Scope, IssuedAt, ExpiresAt, Stamp, AuthTime);

    public static TokenEntity From(string partition, string row, TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return new TokenEntity
        {
            PartitionKey = partition,
            RowKey = row,
            ClientId = grant.ClientId,
            UserId = grant.UserId,
            Username = grant.Username,
            Stamp = grant.Stamp,
            Scope = grant.Scope,
            IssuedAt = grant.IssuedAt,
            ExpiresAt = grant.ExpiresAt,
            AuthTime = grant.AuthTime,
        };
    }

    public static TokenEntity ForCode(NewCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var entity = From(TableKeys.TokenPartition(code.Handle.Ref), TableKeys.TokenRow(code.Handle.Ref), code.Grant);
        entity.RedirectUri = code.RedirectUri;
        entity.RedirectUriGiven = code.RedirectUriGiven;
        entity.CodeChallenge = code.CodeChallenge;
        entity.Used = false;
        entity.Nonce = code.Nonce;
        entity.ProfileName = code.Profile?.Name;
        entity.ProfileEmail = code.Profile?.Email;
        entity.ProfileEmailVerified = code.Profile is { EmailVerified: true } ? true : null;
        return entity;
    }

    public static TokenEntity ForAccessToken(NewTokenPair tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var access = tokens.Access;
        var entity = From(TableKeys.TokenPartition(access.Handle.Ref), TableKeys.TokenRow(access.Handle.Ref), access.Grant);
        entity.Family = tokens.Family?.ToString();
        return entity;
    }

    /// <summary>A new family whose live pair is <paramref name="tokens"/>.</summary>
    public static TokenEntity ForFamily(NewTokenPair tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var refresh = tokens.Refresh ?? throw new ArgumentException("A family starts with a refresh token.", nameof(tokens));
        var entity = From(TableKeys.FamilyPartition(tokens.Family!.Value), TableKeys.SingletonRow, refresh.Grant);
        entity.Current = refresh.Handle.Hash;
        entity.AccessToken = tokens.Access.Handle.Ref.ToString();
        entity.Rotations = 0;
        return entity;
    }

    /// <summary>The columns a rotation changes: the live pair, when it was issued and until when the family lives.</summary>
    public static TableEntity Rotation(FamilyKey family, NewTokenPair tokens, int rotations)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var refresh = tokens.Refresh ?? throw new ArgumentException("A rotation issues a refresh token.", nameof(tokens));
        var changes = new TableEntity(TableKeys.FamilyPartition(family), TableKeys.SingletonRow)
        {
            [nameof(Current)] = refresh.Handle.Hash,
            [nameof(AccessToken)] = tokens.Access.Handle.Ref.ToString(),
            [nameof(IssuedAt)] = refresh.Grant.IssuedAt,
            [nameof(Rotations)] = rotations,
        };

        // A family that never expires has no ExpiresAt column, and keeps none.
        if (refresh.Grant.ExpiresAt is { } expiresAt)
        {
            changes[nameof(ExpiresAt)] = expiresAt;
        }

        return changes;
    }

    /// <summary>A row that tells purge to look at <paramref name="target"/> once <paramref name="at"/> has passed.</summary>
    public static TokenEntity Tombstone(string partition, string target, DateTimeOffset issuedAt, DateTimeOffset at) => new()
    {
        PartitionKey = partition,
        RowKey = TableKeys.TombstoneRow(target),
        IssuedAt = issuedAt,
        ExpiresAt = at,
        Target = target,
    };

    public StoredCode ToCode(TokenRef token) => new(
        token,
        ToGrant(),
        RedirectUri ?? string.Empty,
        RedirectUriGiven ?? false,
        CodeChallenge,
        Used ?? false,
        TokenRef.TryParse(IssuedAccessToken, out var access) ? access : null,
        FamilyKey.TryParse(Family, out var family) ? family : null,
        ETag.ToString(),
        Nonce,
        ProfileName is null && ProfileEmail is null ? null : new UserProfile(ProfileName, ProfileEmail, ProfileEmailVerified ?? false));

    public StoredAccessToken ToAccessToken(TokenRef token) =>
        new(token, ToGrant(), FamilyKey.TryParse(Family, out var family) ? family : null);

    public StoredFamily ToFamily(FamilyKey key) => new(
        key,
        ToGrant(),
        Current ?? string.Empty,
        TokenRef.TryParse(AccessToken, out var access) ? access : null,
        Revoked ?? false,
        Rotations ?? 0,
        ETag.ToString());

    public StoredLegacyRefreshToken ToLegacyRefreshToken(TokenRef token) => new(
        token,
        ToGrant(),
        TokenRef.TryParse(AccessToken, out var access) ? access : null,
        Rotated ?? false,
        TokenRef.TryParse(Successor, out var successor) ? successor : null,
        FamilyKey.TryParse(Successor, out var family) ? family : null,
        ETag.ToString());
}
