namespace OAuthFunctions.Core.Clients;

/// <summary>The grant types a client may be allowed (RFC 6749 §4), plus <c>implicit</c> for <c>response_type=token</c>.</summary>
public static class GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string Password = "password";
    public const string ClientCredentials = "client_credentials";
    public const string Implicit = "implicit";

    /// <summary>Every grant type in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = [AuthorizationCode, RefreshToken, Password, ClientCredentials, Implicit];

    /// <summary>What a client of <paramref name="type"/> may use: public clients cannot use client_credentials (RFC 6749 §4.4).</summary>
    public static IReadOnlyList<string> AllowedFor(ClientType type) =>
        type == ClientType.Public ? [AuthorizationCode, RefreshToken, Password, Implicit] : All;

    /// <summary>
    /// What the server serves with <paramref name="responseTypes"/> (<c>OAuth__ResponseTypes</c>): every grant of the token
    /// endpoint, and <c>implicit</c> only while <c>token</c> is a response type (RFC 6749 §4.2). The metadata advertises
    /// this list (RFC 8414 §2 <c>grant_types_supported</c>).
    /// </summary>
    public static IReadOnlyList<string> Enabled(IReadOnlyCollection<string> responseTypes)
    {
        ArgumentNullException.ThrowIfNull(responseTypes);
        return responseTypes.Contains("token") ? All : [.. All.Where(g => g != Implicit)];
    }

    /// <summary>
    /// The grants a new client gets when none are named: those its type may use that the server has enabled, so a
    /// client registered while the implicit flow is off does not hold <c>implicit</c> (docs/BEHAVIOUR.md §9).
    /// </summary>
    public static IReadOnlyList<string> DefaultFor(ClientType type, IReadOnlyCollection<string> responseTypes) =>
        [.. Enabled(responseTypes).Where(AllowedFor(type).Contains)];
}
