namespace OAuthFunctions.Core.Scopes;

/// <summary>
/// Bit-flag scopes, as <c>provider.scope</c> and <c>provider.constants.SCOPES</c>: the i-th configured name gets
/// bit <c>1 &lt;&lt; (i + 1)</c> (read = 2, write = 4 by default). Immutable; built once from the settings.
/// <para>
/// OpenID Connect's <c>openid</c>, <c>profile</c> and <c>email</c> (OpenID Connect Core §3.1.2.1, §5.4) are recognised
/// alongside them on reserved bits 28 to 30, so that they travel with every grant exactly as configured scopes do (one
/// integer, narrowed on exchange and refresh by the same rule) and no stored row changes shape; configured scopes are
/// therefore limited to 27 and may not take those names (docs/BEHAVIOUR.md §11).
/// </para>
/// </summary>
public sealed class ScopeRegistry
{
    /// <summary>The most configured scopes: bits 1 to 27.</summary>
    public const int MaxConfigured = 27;

    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";

    public const int OpenIdBit = 1 << 28;
    public const int ProfileBit = 1 << 29;
    public const int EmailBit = 1 << 30;

    /// <summary>Every OpenID Connect scope bit.</summary>
    public const int IdentityBits = OpenIdBit | ProfileBit | EmailBit;

    private readonly Dictionary<string, int> _bits;

    public ScopeRegistry(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count is 0 or > MaxConfigured)
        {
            throw new ArgumentException($"Between 1 and {MaxConfigured} scope names are supported.", nameof(names));
        }

        if (names.Any(IsReserved))
        {
            throw new ArgumentException("openid, profile and email are OpenID Connect's scopes.", nameof(names));
        }

        Defined = [.. names];
        _bits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            _bits.Add(names[i], 1 << (i + 1));
        }

        _bits.Add(OpenId, OpenIdBit);
        _bits.Add(Profile, ProfileBit);
        _bits.Add(Email, EmailBit);
    }

    /// <summary>OpenID Connect's scopes, in the order they are listed.</summary>
    public static IReadOnlyList<string> Identity { get; } = [OpenId, Profile, Email];

    public static bool IsReserved(string name) => Identity.Contains(name, StringComparer.Ordinal);

    /// <summary>Every scope a request may name: the configured ones, then OpenID Connect's.</summary>
    public IReadOnlyList<string> Supported => [.. Defined, .. Identity];

    /// <summary>Whether the scope includes <c>openid</c>: an OpenID Connect request (OpenID Connect Core §3.1.2.1).</summary>
    public static bool IsOpenId(int scope) => (scope & OpenIdBit) != 0;

    /// <summary>
    /// Whether a client registered for <paramref name="clientScope"/> may be granted <paramref name="requested"/>: the
    /// configured scopes it was registered for, plus OpenID Connect's, which only release the person's own identity
    /// with their consent.
    /// </summary>
    public static bool Allows(int clientScope, int requested) => Check(requested, clientScope | IdentityBits);

    /// <summary>django-oauth2-provider's defaults: <c>read</c> (2) and <c>write</c> (4).</summary>
    public static ScopeRegistry Default { get; } = new(["read", "write"]);

    /// <summary>The configured names, in definition order.</summary>
    public IReadOnlyList<string> Defined { get; }

    /// <summary>The scope used when a request has none: the first defined one (docs/BEHAVIOUR.md §3).</summary>
    public int DefaultScope => _bits[Defined[0]];

    /// <summary>Every configured scope OR-ed together (OpenID Connect's are not registered per client).</summary>
    public int All => Defined.Aggregate(0, (all, name) => all | _bits[name]);

    /// <summary>ORs the bits of <paramref name="names"/>; unknown names count 0 (<c>to_int</c>).</summary>
    public int ToInt(params string[] names) => ToInt(0, names);

    /// <summary>ORs the bits of <paramref name="names"/> into <paramref name="default"/> (<c>to_int(..., default=)</c>).</summary>
    public int ToInt(int @default, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Aggregate(@default, (scope, name) => scope | _bits.GetValueOrDefault(name));
    }

    /// <summary>
    /// Whether <paramref name="wants"/> is part of <paramref name="has"/> (<c>check</c>): false when they share no
    /// bit or when <c>wants &amp; has &lt; wants</c>.
    /// </summary>
    public static bool Check(int wants, int has)
    {
        if ((wants & has) == 0)
        {
            return false;
        }

        return (wants & has) >= wants;
    }

    /// <summary>The names of the single scopes whose bits are set in <paramref name="scope"/>, in definition order.</summary>
    public IReadOnlyList<string> ToNames(int scope) => [.. Supported.Where(name => Check(_bits[name], scope))];

    /// <summary>The space-separated names of <paramref name="scope"/>, as responses echo them (RFC 6749 §3.3).</summary>
    public string Format(int scope) => string.Join(' ', ToNames(scope));

    /// <summary>
    /// Parses a request's <c>scope</c> parameter (RFC 6749 §3.3: space-delimited, case-sensitive). Absent or empty
    /// means <paramref name="whenAbsent"/>; any unknown name makes the whole value invalid (<c>null</c>).
    /// </summary>
    public int? Parse(string? value, int whenAbsent)
    {
        if (string.IsNullOrEmpty(value))
        {
            return whenAbsent;
        }

        var scope = 0;
        foreach (var name in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!_bits.TryGetValue(name, out var bit))
            {
                return null;
            }

            scope |= bit;
        }

        return scope == 0 ? null : scope;
    }
}
