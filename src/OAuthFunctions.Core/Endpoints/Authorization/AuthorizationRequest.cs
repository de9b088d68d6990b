using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>A validated authorization request (RFC 6749 §4.1.1 / §4.2.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1).</summary>
public sealed record AuthorizationRequest(
    Client Client,
    string RedirectUri,
    bool RedirectUriGiven,
    string ResponseType,
    int Scope,
    string? State,
    string? CodeChallenge,
    OpenIdParameters? OpenId = null)
{
    public bool IsImplicit => ResponseType == "token";

    public OpenIdParameters SignIn => OpenId ?? OpenIdParameters.None;
}
