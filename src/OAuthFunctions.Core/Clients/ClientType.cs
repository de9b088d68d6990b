namespace OAuthFunctions.Core.Clients;

/// <summary>RFC 6749 §2.1 client types (<c>provider.constants.CLIENT_TYPES</c>).</summary>
public enum ClientType
{
    /// <summary>Can keep a secret (web applications).</summary>
    Confidential,

    /// <summary>Cannot keep a secret (native and browser applications); authenticates by client_id and PKCE.</summary>
    Public,
}
