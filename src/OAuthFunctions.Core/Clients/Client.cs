namespace OAuthFunctions.Core.Clients;

/// <summary>A registered client (<c>provider.oauth2.models.Client</c>), with several exact redirect URIs.</summary>
public sealed record Client
{
    /// <summary>Public identifier.</summary>
    public required string ClientId { get; init; }

    /// <summary>SHA-256 of the secret (confidential clients only); the secret itself is shown once and never stored.</summary>
    public string? SecretHash { get; init; }

    public required string Name { get; init; }

    public required string Url { get; init; }

    /// <summary>Registered redirect URIs, compared exactly (no pattern, no prefix).</summary>
    public required IReadOnlyList<string> RedirectUris { get; init; }

    public required ClientType Type { get; init; }

    public required IReadOnlyList<string> GrantTypes { get; init; }

    /// <summary>The scopes (bits) this client may ask for.</summary>
    public required int Scope { get; init; }

    /// <summary>Skips the consent page.</summary>
    public bool Trusted { get; init; }

    /// <summary>
    /// A public client that may use the code flow without PKCE: only clients imported from django-oauth2-provider, which
    /// had no PKCE, get it, so that their apps keep working until they send a challenge (RFC 9700 §2.1.1 says public
    /// clients MUST use PKCE; <c>oauthctl clients update ID --require-pkce</c> takes the exemption away).
    /// </summary>
    public bool PkceOptional { get; init; }

    /// <summary>Opaque (the default) or RFC 9068 JWT access tokens.</summary>
    public AccessTokenFormat AccessTokenFormat { get; init; }

    /// <summary>The <c>aud</c> of this client's JWT access tokens (RFC 9068 §3): the resource server it calls.</summary>
    public string? AccessTokenAudience { get; init; }

    /// <summary>
    /// Where RP-initiated logout may send the browser afterwards (OpenID Connect RP-Initiated Logout 1.0 §2), compared
    /// exactly, like redirect URIs.
    /// </summary>
    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>
    /// Web origins (serialized, <see cref="Clients.AllowedOrigins"/>) whose pages may read this client's answers from the
    /// token and revocation endpoints (CORS, docs/BEHAVIOUR.md §12). Empty: no browser app calls the server directly.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Username of the person who owns the registration, if any.</summary>
    public string? Owner { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool IsPublic => Type == ClientType.Public;

    /// <summary>RFC 7636 / RFC 9700 §2.1.1: a public client must send a PKCE challenge (unless exempted on import).</summary>
    public bool RequiresPkce => IsPublic && !PkceOptional;

    public bool Allows(string grantType) => GrantTypes.Contains(grantType, StringComparer.Ordinal);
}
