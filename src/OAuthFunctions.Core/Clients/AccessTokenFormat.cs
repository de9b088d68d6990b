namespace OAuthFunctions.Core.Clients;

/// <summary>How a client's access tokens look: opaque (introspected) or signed JWTs (RFC 9068, validated offline).</summary>
public enum AccessTokenFormat
{
    /// <summary>256 random bits behind a locator; resource servers introspect (RFC 7662). The default.</summary>
    Opaque,

    /// <summary>A JWT with <c>typ: at+jwt</c> (RFC 9068 §2.1), still recorded by hash for introspection, revocation and purge.</summary>
    Jwt,
}
