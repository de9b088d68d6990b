using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Storage.Entities;

/// <summary>
/// One row of the Tokens table: an authorization code, an access token, a refresh token or a tombstone. The
/// columns a kind does not use stay null (Table Storage stores no empty columns). No column holds a token value.
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

    public int Scope { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>Null for a refresh token that never expires. Purge filters the current hour on it.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    // Authorization codes.
    public string? RedirectUri { get; set; }

    public bool? RedirectUriGiven { get; set; }

    public string? CodeChallenge { get; set; }

    public bool? Used { get; set; }

    public string? IssuedAccessToken { get; set; }

    public string? IssuedRefreshToken { get; set; }

    // Refresh tokens.
    public string? AccessToken { get; set; }

    public bool? Rotated { get; set; }

    public string? Successor { get; set; }

    public DateTimeOffset? RotatedAt { get; set; }

    // Tombstones: the rotated, never-expiring refresh token to delete when this row's hour has passed.
    public string? Target { get; set; }

    public TokenGrant ToGrant() => new(ClientId ?? string.Empty, UserId, Username, Scope, IssuedAt, ExpiresAt);

    public static TokenEntity From(TokenRef token, TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return new TokenEntity
        {
            PartitionKey = TableKeys.TokenPartition(token),
            RowKey = TableKeys.TokenRow(token),
            ClientId = grant.ClientId,
            UserId = grant.UserId,
            Username = grant.Username,
            Scope = grant.Scope,
            IssuedAt = grant.IssuedAt,
            ExpiresAt = grant.ExpiresAt,
        };
    }

    public static TokenEntity ForCode(NewCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var entity = From(code.Handle.Ref, code.Grant);
        entity.RedirectUri = code.RedirectUri;
        entity.RedirectUriGiven = code.RedirectUriGiven;
        entity.CodeChallenge = code.CodeChallenge;
        entity.Used = false;
        return entity;
    }

    public static TokenEntity ForAccessToken(NewToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return From(token.Handle.Ref, token.Grant);
    }

    public static TokenEntity ForRefreshToken(NewToken token, NewToken access)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(access);
        var entity = From(token.Handle.Ref, token.Grant);
        entity.AccessToken = TableKeys.Encode(access.Handle.Ref);
        entity.Rotated = false;
        return entity;
    }

    public StoredCode ToCode(TokenRef token) => new(
        token,
        ToGrant(),
        RedirectUri ?? string.Empty,
        RedirectUriGiven ?? false,
        CodeChallenge,
        Used ?? false,
        TableKeys.Decode(IssuedAccessToken),
        TableKeys.Decode(IssuedRefreshToken),
        ETag.ToString());

    public StoredAccessToken ToAccessToken(TokenRef token) => new(token, ToGrant());

    public StoredRefreshToken ToRefreshToken(TokenRef token) => new(
        token,
        ToGrant(),
        TableKeys.Decode(AccessToken),
        Rotated ?? false,
        TableKeys.Decode(Successor),
        ETag.ToString());
}
