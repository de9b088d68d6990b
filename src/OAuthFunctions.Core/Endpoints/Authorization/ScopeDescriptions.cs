namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>Scopes in words for the consent page; a scope without a description is shown by its name.</summary>
public static class ScopeDescriptions
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["read"] = "Read your data (read)",
        ["write"] = "Create, change and delete your data (write)",
        ["openid"] = "Sign you in with your account (openid)",
        ["profile"] = "See your name (profile)",
        ["email"] = "See your email address (email)",
    };

    public static string Describe(string scope) => Known.TryGetValue(scope, out var words) ? words : scope;
}
