namespace OAuthFunctions.ResourceServer;

/// <summary>
/// The claims a validated token gives the principal, named after the introspection response's members (RFC 7662 §2.2):
/// one <see cref="Scope"/> claim per scope, the client the token was issued to, the subject (the user's stable id, or
/// the client's id for a <c>client_credentials</c> token) and the user name when there is a user.
/// </summary>
public static class OAuthFunctionsClaimTypes
{
    public const string Scope = "scope";

    public const string ClientId = "client_id";

    public const string Subject = "sub";

    /// <summary>Also the identity's name claim, so <c>User.Identity.Name</c> is the user name.</summary>
    public const string Username = "username";
}
