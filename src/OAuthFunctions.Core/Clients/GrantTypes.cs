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
}
