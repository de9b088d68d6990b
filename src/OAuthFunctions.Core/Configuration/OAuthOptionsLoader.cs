using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using Microsoft.Extensions.Configuration;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Configuration;

/// <summary>
/// Reads and validates the <c>OAuth</c> section once, at start-up. A malformed value fails start-up with an
/// <see cref="OAuthConfigurationException"/> that names the setting; an absent value takes its default.
/// </summary>
public static partial class OAuthOptionsLoader
{
    /// <summary>More proxies than this in front of one server is a misconfiguration, not a topology.</summary>
    private const int MaxForwardedHops = 10;

    public static OAuthOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(OAuthOptions.SectionName);
        var defaults = new OAuthOptions();
        var enforceSecure = Bool(section, nameof(OAuthOptions.EnforceSecure), defaults.EnforceSecure);

        var options = new OAuthOptions
        {
            Scopes = ScopeNames(section) ?? defaults.Scopes,
            ResponseTypes = ResponseTypes(section) ?? defaults.ResponseTypes,
            AccessTokenLifetime = Lifetime(section, nameof(OAuthOptions.AccessTokenLifetime)) ?? defaults.AccessTokenLifetime,
            PublicAccessTokenLifetime = Lifetime(section, nameof(OAuthOptions.PublicAccessTokenLifetime)) ?? defaults.PublicAccessTokenLifetime,
            // RFC 6749 §4.1.2: a maximum code lifetime of 10 minutes is RECOMMENDED; more than an hour is refused.
            CodeLifetime = Lifetime(section, nameof(OAuthOptions.CodeLifetime), TimeSpan.FromHours(1)) ?? defaults.CodeLifetime,
            RefreshTokenLifetime = OptionalLifetime(section, nameof(OAuthOptions.RefreshTokenLifetime)),
            RotatedRefreshTokenRetention = Lifetime(section, nameof(OAuthOptions.RotatedRefreshTokenRetention)) ?? defaults.RotatedRefreshTokenRetention,
            EnforceSecure = enforceSecure,
            SessionKey = Matching(section, nameof(OAuthOptions.SessionKey), CookieName(), "letters, digits, '_' or '-' (1 to 32 characters)") ?? defaults.SessionKey,
            LoginLifetime = Lifetime(section, nameof(OAuthOptions.LoginLifetime), TimeSpan.FromDays(30)) ?? defaults.LoginLifetime,
            PurgeSchedule = Schedule(section) ?? defaults.PurgeSchedule,
            PurgeMaxItems = Int(section, nameof(OAuthOptions.PurgeMaxItems), min: 100, max: 1_000_000) ?? defaults.PurgeMaxItems,
            TablePrefix = Matching(section, nameof(OAuthOptions.TablePrefix), TablePrefixPattern(), "a letter followed by letters or digits (1 to 50 characters)") ?? defaults.TablePrefix,
            Issuer = Issuer(section, enforceSecure),
            ForwardedHops = Int(section, nameof(OAuthOptions.ForwardedHops), min: 0, max: MaxForwardedHops) ?? defaults.ForwardedHops,
            ClientCacheLifetime = NonNegativeTimeSpan(section, nameof(OAuthOptions.ClientCacheLifetime)) ?? defaults.ClientCacheLifetime,
            TemplatesPath = TemplatesPath(section),
            SigningAlgorithm = Matching(section, nameof(OAuthOptions.SigningAlgorithm), SigningAlgorithmPattern(), "RS256 or ES256") ?? defaults.SigningAlgorithm,
            // A key signs for at least an hour, so that the next one can be published before it (docs/BEHAVIOUR.md §11).
            SigningKeyLifetime = Lifetime(section, nameof(OAuthOptions.SigningKeyLifetime), TimeSpan.FromDays(365), min: TimeSpan.FromHours(1)) ?? defaults.SigningKeyLifetime,
            IdTokenLifetime = Lifetime(section, nameof(OAuthOptions.IdTokenLifetime), TimeSpan.FromDays(1)) ?? defaults.IdTokenLifetime,
            JwtAccessTokenLifetime = Lifetime(section, nameof(OAuthOptions.JwtAccessTokenLifetime), TimeSpan.FromDays(1)) ?? defaults.JwtAccessTokenLifetime,
            TokenShards = Int(section, nameof(OAuthOptions.TokenShards), min: 1, max: TokenHandle.MaxShards) ?? defaults.TokenShards,
        };
        return options;
    }

    private static string? Raw(IConfigurationSection section, string name)
    {
        var value = section[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static List<string>? ScopeNames(IConfigurationSection section)
    {
        const string Name = nameof(OAuthOptions.Scopes);
        var raw = Raw(section, Name);
        if (raw is null)
        {
            return null;
        }

        var names = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        // Bits run from 1 << 1 to 1 << 27 so that every combination stays a positive int; bits 28 to 30 are OpenID
        // Connect's openid, profile and email, whose names are therefore not available (ScopeRegistry).
        if (names.Count is 0 or > Scopes.ScopeRegistry.MaxConfigured
            || names.Any(n => !ScopeToken().IsMatch(n))
            || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw OAuthConfigurationException.Invalid(Name, $"a comma-separated list of 1 to {Scopes.ScopeRegistry.MaxConfigured} distinct scope names (RFC 6749 §3.3 scope-token characters)");
        }

        if (names.Any(Scopes.ScopeRegistry.IsReserved))
        {
            throw OAuthConfigurationException.Invalid(Name, $"scope names other than {string.Join(", ", Scopes.ScopeRegistry.Identity)}, which OpenID Connect defines");
        }

        return names;
    }

    private static List<string>? ResponseTypes(IConfigurationSection section)
    {
        const string Name = nameof(OAuthOptions.ResponseTypes);
        var raw = Raw(section, Name);
        if (raw is null)
        {
            return null;
        }

        var types = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0 || types.Any(t => t is not ("code" or "token")))
        {
            throw OAuthConfigurationException.Invalid(Name, "'code', 'token' or 'code,token'");
        }

        return types;
    }

    private static TimeSpan? Lifetime(IConfigurationSection section, string name, TimeSpan? max = null, TimeSpan? min = null)
    {
        var raw = Raw(section, name);
        if (raw is null)
        {
            return null;
        }

        var limit = max ?? TimeSpan.FromDays(36_500);
        if (!TryParseDuration(raw, out var value) || value <= TimeSpan.Zero || value > limit || (min is { } floor && value < floor))
        {
            var range = min is { } least ? $"of at least {least:c} and at most {limit:c}" : $"of at most {limit:c}";
            throw OAuthConfigurationException.Invalid(name, $"a positive duration {range} in [d.]hh:mm:ss form, such as 01:00:00 (one hour) or 30.00:00:00 (30 days)");
        }

        return value;
    }

    /// <summary>
    /// A duration in <c>[d.]hh:mm:ss</c> form. A bare number is refused: TimeSpan would read "3600" as 3,600 days,
    /// which is never what someone thinking in seconds meant.
    /// </summary>
    private static bool TryParseDuration(string raw, out TimeSpan value)
    {
        value = default;
        return raw.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out value);
    }

    private static TimeSpan? OptionalLifetime(IConfigurationSection section, string name) =>
        string.Equals(Raw(section, name), "none", StringComparison.OrdinalIgnoreCase) ? null : Lifetime(section, name);

    private static TimeSpan? NonNegativeTimeSpan(IConfigurationSection section, string name)
    {
        var raw = Raw(section, name);
        if (raw is null)
        {
            return null;
        }

        if (!TryParseDuration(raw, out var value) || value < TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            throw OAuthConfigurationException.Invalid(name, "a duration from 00:00:00 (off) to 1.00:00:00");
        }

        return value;
    }

    private static bool Bool(IConfigurationSection section, string name, bool fallback)
    {
        var raw = Raw(section, name);
        if (raw is null)
        {
            return fallback;
        }

        return bool.TryParse(raw, out var value) ? value : throw OAuthConfigurationException.Invalid(name, "true or false");
    }

    private static int? Int(IConfigurationSection section, string name, int min, int max)
    {
        var raw = Raw(section, name);
        if (raw is null)
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw OAuthConfigurationException.Invalid(name, $"a whole number from {min} to {max}");
    }

    private static string? Matching(IConfigurationSection section, string name, Regex pattern, string expected)
    {
        var raw = Raw(section, name);
        if (raw is null)
        {
            return null;
        }

        return pattern.IsMatch(raw) ? raw : throw OAuthConfigurationException.Invalid(name, expected);
    }

    private static string? Schedule(IConfigurationSection section)
    {
        const string Name = nameof(OAuthOptions.PurgeSchedule);
        var raw = Raw(section, Name);
        if (raw is null)
        {
            return null;
        }

        try
        {
            _ = CronExpression.Parse(raw, CronFormat.IncludeSeconds);
            return raw;
        }
        catch (CronFormatException ex)
        {
            throw new OAuthConfigurationException(
                $"The setting OAuth__{Name} (configuration key {OAuthOptions.SectionName}:{Name}) is invalid: expected a six-field NCRONTAB expression with seconds, such as '0 */15 * * * *'.",
                ex);
        }
    }

    private static Uri? Issuer(IConfigurationSection section, bool enforceSecure)
    {
        const string Name = nameof(OAuthOptions.Issuer);
        var raw = Raw(section, Name);
        if (raw is null)
        {
            // Without an issuer the server names itself after each request's Host header, which the client chooses:
            // acceptable on a developer's machine, never in production.
            return enforceSecure
                ? throw new OAuthConfigurationException(
                    $"The setting OAuth__{Name} (configuration key {OAuthOptions.SectionName}:{Name}) is required when OAuth__{nameof(OAuthOptions.EnforceSecure)} is true: set it to the https URL clients use, such as https://login.example.com.")
                : null;
        }

        // RFC 8414 §2: the issuer is an https URL with no query or fragment.
        if (!Uri.TryCreate(raw.TrimEnd('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && (enforceSecure || uri.Scheme != Uri.UriSchemeHttp))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw OAuthConfigurationException.Invalid(Name, "an absolute https URL without query or fragment, such as https://login.example.com");
        }

        return uri;
    }

    private static string? TemplatesPath(IConfigurationSection section)
    {
        const string Name = nameof(OAuthOptions.TemplatesPath);
        var raw = Raw(section, Name);
        if (raw is null)
        {
            return null;
        }

        return Directory.Exists(raw) ? raw : throw OAuthConfigurationException.Invalid(Name, "an existing directory");
    }

    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ); commas separate names in the setting.
    [GeneratedRegex(@"^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+$")]
    private static partial Regex ScopeToken();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex CookieName();

    [GeneratedRegex("^(RS256|ES256)$")]
    private static partial Regex SigningAlgorithmPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,49}$")]
    private static partial Regex TablePrefixPattern();
}
