using System.Text.RegularExpressions;

namespace OAuthFunctions.Core.Clients;

/// <summary>
/// What may be registered as a client, for every way of registering one (the CLI today). New registrations meet every
/// rule; rows already stored are held to the rules that are never acceptable (<see cref="RefuseStored"/>), because
/// allowing plain http was a decision made at registration time.
/// </summary>
public static partial class ClientRegistration
{
    /// <summary>Schemes that run in, or read from, the browser itself instead of reaching a client.</summary>
    private static readonly string[] DangerousSchemes = ["javascript", "data", "file", "vbscript"];

    private static readonly string[] LoopbackHosts = ["127.0.0.1", "[::1]", "localhost"];

    /// <summary>The first rule a new registration breaks, or null when it may be registered.</summary>
    /// <param name="type">Confidential or public.</param>
    /// <param name="trusted">Whether the client skips the consent page.</param>
    /// <param name="redirectUris">The redirect URIs, as given.</param>
    /// <param name="allowInsecureRedirect">Accept plain-http redirect URIs and origins on hosts other than loopback (migrations).</param>
    /// <param name="allowedOrigins">The web origins allowed to call the server from a browser (CORS), as given.</param>
    public static RegistrationRefusal? Refuse(ClientType type, bool trusted, IEnumerable<string> redirectUris, bool allowInsecureRedirect, IEnumerable<string>? allowedOrigins = null)
    {
        ArgumentNullException.ThrowIfNull(redirectUris);
        return RefuseTrust(type, trusted)
            ?? redirectUris.Select(uri => RefuseRedirectUri(uri, allowInsecureRedirect)).FirstOrDefault(refusal => refusal is not null)
            ?? (allowedOrigins ?? []).Select(origin => RefuseOrigin(origin, allowInsecureRedirect)).FirstOrDefault(refusal => refusal is not null);
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be an allowed origin, or null. A browser compares the answer's
    /// <c>Access-Control-Allow-Origin</c> with its own serialized origin character for character (Fetch standard, "CORS
    /// check"), so an origin is stored in that form (<see cref="AllowedOrigins.Canonical"/>): anything a browser
    /// can never send (a path, a query, a fragment, userinfo) is a mistake and refused, as is <c>null</c>, which every
    /// sandboxed frame and every <c>file:</c> or <c>data:</c> page sends: allowing it would allow all of them.
    /// </summary>
    /// <param name="value">The origin as given.</param>
    /// <param name="allowInsecure">Accept plain http on hosts other than loopback.</param>
    public static RegistrationRefusal? RefuseOrigin(string value, bool allowInsecure)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (origin, problem) = AllowedOrigins.Parse(value);
        if (origin is null)
        {
            return new(RegistrationRule.InvalidOrigin, $"The allowed origin {Quote(value)} {problem}.");
        }

        // A page served over plain http can be changed on the way, script included, and that script would read the tokens
        // (RFC 6749 §10.3). Loopback never leaves the device: local development.
        if (!allowInsecure && AllowedOrigins.IsInsecure(origin))
        {
            return new(RegistrationRule.InsecureOrigin, $"The allowed origin {Quote(value)} uses plain http on a host other than 127.0.0.1, [::1] or localhost; use https, or allow insecure origins explicitly.");
        }

        return null;
    }

    /// <summary>
    /// The first never-acceptable rule a stored client breaks, or null. A plain-http redirect URI is not one of them:
    /// an operator may have allowed it when registering.
    /// </summary>
    public static RegistrationRefusal? RefuseStored(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return RefuseTrust(client.Type, client.Trusted)
            ?? client.RedirectUris.Select(uri => RefuseRedirectUri(uri, allowInsecure: true)).FirstOrDefault(refusal => refusal is not null)
            ?? client.AllowedOrigins.Select(RefuseStoredOrigin).FirstOrDefault(refusal => refusal is not null);
    }

    /// <summary>A stored origin must be one the CLI could have written: valid, and already in serialized form.</summary>
    private static RegistrationRefusal? RefuseStoredOrigin(string origin) =>
        RefuseOrigin(origin, allowInsecure: true)
        ?? (AllowedOrigins.IsCanonical(origin) ? null : new(RegistrationRule.InvalidOrigin, $"The allowed origin {Quote(origin)} is not stored in serialized form."));

    private static RegistrationRefusal? RefuseTrust(ClientType type, bool trusted)
    {
        // RFC 8252 §8.6: a public client's identity cannot be verified, so any app presenting its client_id would get
        // tokens without the user ever being asked.
        return trusted && type == ClientType.Public
            ? new(RegistrationRule.TrustedPublicClient, "A public client cannot be trusted to skip consent: any app can present its client_id (RFC 8252 §8.6); register it as confidential, or as untrusted.")
            : null;
    }

    private static RegistrationRefusal? RefuseRedirectUri(string value, bool allowInsecure)
    {
        // RFC 6749 §3.1.2: the redirection endpoint URI MUST be an absolute URI (RFC 3986 §4.3) and MUST NOT include a
        // fragment component. Checked on the text as well as the parse: .NET reads "/cb" as a file path on Unix.
        var scheme = SchemePrefix().Match(value);
        if (!scheme.Success || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return new(RegistrationRule.RelativeRedirectUri, $"The redirect URI {Quote(value)} is not an absolute URI (RFC 6749 §3.1.2).");
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return new(RegistrationRule.RedirectUriWithFragment, $"The redirect URI {Quote(value)} has a fragment, which RFC 6749 §3.1.2 forbids.");
        }

        var name = scheme.Groups["scheme"].Value;
        if (DangerousSchemes.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return new(RegistrationRule.DangerousRedirectScheme, $"The redirect URI {Quote(value)} uses the {name.ToLowerInvariant()} scheme, which is never allowed: it would run in or read from the browser instead of reaching the client.");
        }

        // RFC 6749 §3.1.2.1: the redirection endpoint SHOULD require TLS. RFC 8252 §7.3: native apps receive on
        // loopback over plain http, which never leaves the device. Private-use schemes (RFC 8252 §7.1) pass.
        if (!allowInsecure && string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.Ordinal)
            && !LoopbackHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            return new(RegistrationRule.InsecureRedirectUri, $"The redirect URI {Quote(value)} uses plain http on a host other than 127.0.0.1, [::1] or localhost; use https (RFC 6749 §3.1.2.1), or allow insecure redirect URIs explicitly.");
        }

        return null;
    }

    /// <summary>The URI in quotes, on one line and of bounded length, for a message.</summary>
    private static string Quote(string value)
    {
        var printable = new string([.. value.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
        return $"'{printable}{(value.Length > 200 ? "…" : string.Empty)}'";
    }

    // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), followed by ":".
    [GeneratedRegex("^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex SchemePrefix();
}
