using Microsoft.AspNetCore.Authentication;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// How an API reaches the OAuthFunctions server: its issuer URL, and the API's own client credentials (the API is
/// registered as a confidential client; RFC 7662 §2.1 has the caller authenticate).
/// </summary>
public sealed class OAuthFunctionsIntrospectionOptions : AuthenticationSchemeOptions
{
    /// <summary>The longest positive cache allowed: a revoked token must stop working soon.</summary>
    public static readonly TimeSpan MaxCacheDuration = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The server's issuer, e.g. <c>https://login.example.com</c> (its <c>OAuth__Issuer</c>). The metadata is read from
    /// <c>/.well-known/oauth-authorization-server</c> under it (RFC 8414 §3.1) and must name this issuer (§3.3).
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The API's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The API's client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// How long an active answer is reused without asking again (never past the token's <c>exp</c>): a revoked token
    /// keeps working here for up to this long. Default 5 seconds; zero asks every time; at most five minutes.
    /// Inactive answers are never cached.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the metadata is reused (default an hour); it is read again after any failed introspection.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one call to the server may take before the API answers 503 (default 10 seconds).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Refuse an <c>http</c> authority or introspection endpoint (default true). Loopback (127.0.0.1, [::1],
    /// localhost) is always allowed: local development.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The longest <c>Authorization</c> header looked at; a longer one is <c>invalid_request</c> (default 4096).</summary>
    public int MaxAuthorizationHeaderLength { get; set; } = 4096;

    /// <summary>The <c>realm</c> of the <c>WWW-Authenticate</c> challenge (RFC 6750 §3), if any.</summary>
    public string? Realm { get; set; }

    /// <summary>The handler the calls to the server go through (tests, proxies); a pooled one when null.</summary>
    public HttpMessageHandler? BackchannelHttpHandler { get; set; }

    /// <summary>Throws with a message naming the first setting that is missing or out of range.</summary>
    public override void Validate()
    {
        base.Validate();
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    /// <summary>The first setting that is missing or out of range, in a sentence; null when all are fine.</summary>
    public string? Problem()
    {
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("http" or "https")
            || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            return "OAuthFunctionsIntrospectionOptions.Authority must be the server's issuer URL, e.g. https://login.example.com.";
        }

        if (RequireHttpsMetadata && !Backchannel.IsSecureOrLoopback(authority))
        {
            return "OAuthFunctionsIntrospectionOptions.Authority must use https (plain http is accepted only on loopback, or with RequireHttpsMetadata = false).";
        }

        if (string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret))
        {
            return "OAuthFunctionsIntrospectionOptions.ClientId and ClientSecret must be set: the API introspects tokens as a confidential client.";
        }

        if (CacheDuration < TimeSpan.Zero || CacheDuration > MaxCacheDuration)
        {
            return "OAuthFunctionsIntrospectionOptions.CacheDuration must be between zero and five minutes.";
        }

        if (MetadataRefreshInterval <= TimeSpan.Zero || BackchannelTimeout <= TimeSpan.Zero)
        {
            return "OAuthFunctionsIntrospectionOptions.MetadataRefreshInterval and BackchannelTimeout must be positive.";
        }

        return MaxAuthorizationHeaderLength < 16 ? "OAuthFunctionsIntrospectionOptions.MaxAuthorizationHeaderLength must be at least 16." : null;
    }
}
