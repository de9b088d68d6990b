namespace OAuthFunctions.Core.Clients;

/// <summary>The rules a client registration must meet (<see cref="ClientRegistration"/>).</summary>
public enum RegistrationRule
{
    /// <summary>Only a confidential client may skip consent (RFC 8252 §8.6).</summary>
    TrustedPublicClient,

    /// <summary>A redirect URI is absolute (RFC 6749 §3.1.2).</summary>
    RelativeRedirectUri,

    /// <summary>A redirect URI has no fragment (RFC 6749 §3.1.2).</summary>
    RedirectUriWithFragment,

    /// <summary>No <c>javascript</c>, <c>data</c>, <c>file</c> or <c>vbscript</c> redirect URI.</summary>
    DangerousRedirectScheme,

    /// <summary>Plain <c>http</c> only for loopback, unless explicitly allowed (RFC 6749 §3.1.2.1).</summary>
    InsecureRedirectUri,

    /// <summary>An allowed origin is <c>http</c> or <c>https</c> scheme, host and port, nothing more, and never <c>null</c> (RFC 6454 §6.2).</summary>
    InvalidOrigin,

    /// <summary>A plain-<c>http</c> allowed origin only on loopback, unless explicitly allowed.</summary>
    InsecureOrigin,
}
