using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Core.Clients;

/// <summary>The outcome of authenticating a client, and whether it tried HTTP Basic (which decides <c>WWW-Authenticate</c>).</summary>
public sealed record ClientAuthentication(Client? Client, OAuthError? Error, bool BasicAttempted)
{
    public static ClientAuthentication Success(Client client, bool basic) => new(client, null, basic);

    public static ClientAuthentication Failure(OAuthError error, bool basic) => new(null, error, basic);
}
