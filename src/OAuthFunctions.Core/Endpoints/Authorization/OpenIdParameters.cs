using System.Globalization;
using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// The sign-in parameters of OpenID Connect Core §3.1.2.1, honoured on every authorization request: <c>prompt</c>
/// (<c>none</c>: no page may be shown; <c>login</c>, and <c>select_account</c>, which the login page is the only way to
/// do here: enter the password again; <c>consent</c>: show the consent page even to a trusted client), <c>max_age</c>
/// (seconds since the password was entered), <c>login_hint</c> (the username to offer), and <c>nonce</c> (carried to
/// the ID token).
/// </summary>
public sealed record OpenIdParameters(string? Nonce, IReadOnlySet<string> Prompt, int? MaxAge, string? LoginHint)
{
    private static readonly HashSet<string> KnownPrompts = new(StringComparer.Ordinal) { "none", "login", "consent", "select_account" };

    public static OpenIdParameters None { get; } = new(null, new HashSet<string>(), null, null);

    public bool PromptNone => Prompt.Contains("none");

    /// <summary>The password must be entered during this authorization.</summary>
    public bool PromptLogin => Prompt.Contains("login") || Prompt.Contains("select_account");

    public bool PromptConsent => Prompt.Contains("consent");

    /// <summary>Whether a sign-in may have to be repeated: then the authorization is kept while the person signs in.</summary>
    public bool AsksForFreshSignIn => PromptLogin || MaxAge is not null;

    /// <summary>
    /// Whether a sign-in made at <paramref name="signedInAt"/> satisfies the request: one made during this authorization
    /// always does (so <c>max_age=0</c> and <c>prompt=login</c> are met by signing in once); otherwise it must not be
    /// older than <c>max_age</c>, and <c>prompt=login</c> accepts none.
    /// </summary>
    public bool IsSatisfiedBy(DateTimeOffset signedInAt, DateTimeOffset flowBegan, DateTimeOffset now)
    {
        if (signedInAt >= flowBegan)
        {
            return true;
        }

        return !PromptLogin && (MaxAge is not { } seconds || now - signedInAt <= TimeSpan.FromSeconds(seconds));
    }

    /// <summary>The parameters, or the error to send back to the client (OpenID Connect Core §3.1.2.6: invalid_request).</summary>
    public static (OpenIdParameters? Value, OAuthError? Error) Read(IReadOnlyDictionary<string, string[]> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var prompt = new HashSet<string>(StringComparer.Ordinal);
        if (First(parameters, "prompt") is { } rawPrompt)
        {
            prompt.UnionWith(rawPrompt.Split(' ', StringSplitOptions.RemoveEmptyEntries));

            // §3.1.2.1: none together with any other value is an error.
            if (!prompt.IsSubsetOf(KnownPrompts) || (prompt.Contains("none") && prompt.Count > 1))
            {
                return (null, OAuthErrors.PromptInvalid);
            }
        }

        int? maxAge = null;
        if (First(parameters, "max_age") is { } rawMaxAge)
        {
            if (!int.TryParse(rawMaxAge, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return (null, OAuthErrors.MaxAgeInvalid);
            }

            maxAge = seconds;
        }

        return (new OpenIdParameters(First(parameters, "nonce"), prompt, maxAge, First(parameters, "login_hint")), null);
    }

    private static string? First(IReadOnlyDictionary<string, string[]> parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Length > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
