namespace OAuthFunctions.Core.Scopes;

/// <summary>
/// Bit-flag scopes, as <c>provider.scope</c> and <c>provider.constants.SCOPES</c>: the i-th configured name gets
/// bit <c>1 &lt;&lt; (i + 1)</c> (read = 2, write = 4 by default). Immutable; built once from the settings.
/// </summary>
public sealed class ScopeRegistry
{
    private readonly Dictionary<string, int> _bits;

    public ScopeRegistry(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count is 0 or > 30)
        {
            throw new ArgumentException("Between 1 and 30 scope names are supported.", nameof(names));
        }

        Defined = [.. names];
        _bits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            _bits.Add(names[i], 1 << (i + 1));
        }
    }

    /// <summary>django-oauth2-provider's defaults: <c>read</c> (2) and <c>write</c> (4).</summary>
    public static ScopeRegistry Default { get; } = new(["read", "write"]);

    /// <summary>The configured names, in definition order.</summary>
    public IReadOnlyList<string> Defined { get; }

    /// <summary>The scope used when a request has none: the first defined one (docs/BEHAVIOUR.md §3).</summary>
    public int DefaultScope => _bits[Defined[0]];

    /// <summary>Every defined scope OR-ed together.</summary>
    public int All => _bits.Values.Aggregate(0, (all, bit) => all | bit);

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
    public IReadOnlyList<string> ToNames(int scope) => [.. Defined.Where(name => Check(_bits[name], scope))];

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
