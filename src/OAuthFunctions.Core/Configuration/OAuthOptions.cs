using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Configuration;

/// <summary>
/// The server's settings (docs/BEHAVIOUR.md §2): app settings <c>OAuth__X</c>, configuration section <c>OAuth</c>.
/// Defaults are django-oauth2-provider's. Built only by <see cref="OAuthOptionsLoader"/>, which validates
/// every value and names the offending setting.
/// </summary>
public sealed record OAuthOptions
{
    /// <summary>The configuration section that holds these settings.</summary>
    public const string SectionName = "OAuth";

    /// <summary>Scope names; the i-th gets bit <c>1 &lt;&lt; (i + 1)</c> (<c>OAUTH_SCOPES</c>).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["read", "write"];

    /// <summary>Enabled response types: <c>code</c>, and <c>token</c> for the implicit flow (<c>OAUTH_RESPONSE_TYPE_CHOICES</c>).</summary>
    public IReadOnlyList<string> ResponseTypes { get; init; } = ["code"];

    /// <summary>Access token lifetime for confidential clients (<c>OAUTH_EXPIRE_DELTA</c>).</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Access token lifetime for public clients (<c>OAUTH_EXPIRE_DELTA_PUBLIC</c>).</summary>
    public TimeSpan PublicAccessTokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Authorization code lifetime (<c>OAUTH_EXPIRE_CODE_DELTA</c>).</summary>
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Refresh token lifetime, counted from each issue; <c>null</c> (setting <c>none</c>) never expires, as django-oauth2-provider did.</summary>
    public TimeSpan? RefreshTokenLifetime { get; init; }

    /// <summary>
    /// How long a rotated refresh token that never expires is kept so that presenting it again is detected
    /// as reuse (a rotated token with an expiry is kept until that expiry).
    /// </summary>
    public TimeSpan RotatedRefreshTokenRetention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Refuse plain-HTTP requests on every endpoint (<c>OAUTH_ENFORCE_SECURE</c>).</summary>
    public bool EnforceSecure { get; init; }

    /// <summary>Prefix of the cookies that hold login and flow state (<c>OAUTH_SESSION_KEY</c>).</summary>
    public string SessionKey { get; init; } = "oauth";

    /// <summary>How long a login lasts before the person must sign in again.</summary>
    public TimeSpan LoginLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>NCRONTAB schedule (six fields, with seconds) of the purge timer.</summary>
    public string PurgeSchedule { get; init; } = "0 */15 * * * *";

    /// <summary>Most rows one purge run deletes; what is left goes in the next run.</summary>
    public int PurgeMaxItems { get; init; } = 20_000;

    /// <summary>Prefix of the table names, so several servers can share one storage account.</summary>
    public string TablePrefix { get; init; } = "OAuth";

    /// <summary>
    /// The issuer identifier and public base URL (RFC 8414 §2), e.g. <c>https://login.example.com</c>. Required when
    /// <see cref="EnforceSecure"/> is on. When empty, it follows each request's scheme and host, which a client
    /// chooses: for local development only.
    /// </summary>
    public Uri? Issuer { get; init; }

    /// <summary>
    /// How many proxy hops in front of this process to believe, counted from the right of <c>X-Forwarded-For</c>,
    /// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c>. 0 believes none of them: the address, scheme and host are
    /// the connection's (see docs/ARCHITECTURE.md for why 0 is also right under the Functions host).
    /// </summary>
    public int ForwardedHops { get; init; }

    /// <summary>
    /// How many partitions each expiry hour of codes and access tokens is spread over (1 to
    /// <see cref="TokenHandle.MaxShards"/>): with S shards the tokens of one hour take about 2,000 × S writes per
    /// second before a partition is hot (docs/PERFORMANCE.md, "Scale"). Each token carries its shard, so changing the
    /// setting strands nothing and purge finds every shard.
    /// </summary>
    public int TokenShards { get; init; } = TokenHandle.DefaultShards;

    /// <summary>How long a client read from storage is reused by one instance (0 disables the cache).</summary>
    public TimeSpan ClientCacheLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Directory with operator templates (<c>login.liquid</c>, <c>consent.liquid</c>, <c>error.liquid</c>, <c>message.liquid</c>) that replace the built-in pages.</summary>
    public string? TemplatesPath { get; init; }

    /// <summary>
    /// The JWS algorithm of new signing keys (ID tokens, JWT access tokens): <c>RS256</c>, which OpenID Connect clients
    /// expect unless they registered another, or <c>ES256</c>. Changing it rotates to a key of the new algorithm.
    /// </summary>
    public string SigningAlgorithm { get; init; } = Signing.SigningAlgorithms.RS256;

    /// <summary>How long one signing key signs before the next one takes over (docs/BEHAVIOUR.md §11).</summary>
    public TimeSpan SigningKeyLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Lifetime of an ID token (OpenID Connect Core §2 <c>exp</c>).</summary>
    public TimeSpan IdTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of a JWT access token (RFC 9068), for clients registered with that format: short, as it cannot be recalled from a resource server that validates offline.</summary>
    public TimeSpan JwtAccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The access token lifetime for a client of the given type.</summary>
    public TimeSpan AccessTokenLifetimeFor(bool isPublicClient) =>
        isPublicClient ? PublicAccessTokenLifetime : AccessTokenLifetime;

    /// <summary>
    /// Every setting name the server reads, as the app setting <c>OAuth__{name}</c>. Infrastructure tests compare
    /// this list with the deployed app settings so that a new setting cannot be forgotten in infra.
    /// </summary>
    public static IReadOnlyList<string> SettingNames { get; } =
    [
        nameof(Scopes), nameof(ResponseTypes), nameof(AccessTokenLifetime), nameof(PublicAccessTokenLifetime),
        nameof(CodeLifetime), nameof(RefreshTokenLifetime), nameof(RotatedRefreshTokenRetention), nameof(EnforceSecure),
        nameof(SessionKey), nameof(LoginLifetime), nameof(PurgeSchedule), nameof(PurgeMaxItems), nameof(TablePrefix),
        nameof(Issuer), nameof(ForwardedHops), nameof(ClientCacheLifetime), nameof(TemplatesPath), nameof(TokenShards),
        nameof(SigningAlgorithm), nameof(SigningKeyLifetime), nameof(IdTokenLifetime), nameof(JwtAccessTokenLifetime),
    ];
}
