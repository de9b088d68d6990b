using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Core.Clients;

/// <summary>
/// The step every client-authenticated endpoint (token, revocation, introspection) starts with, written once: the
/// request must be a form POST with no repeated parameter (RFC 6749 §3.2), then the endpoint's own early check (the
/// token endpoint's <c>grant_type</c>, in django-oauth2-provider's order), then client authentication (RFC 6749 §2.3),
/// then, where asked, a confidential client. Each refusal is the RFC error: 400 for the request's shape, 401
/// <c>invalid_client</c> with <c>WWW-Authenticate</c> when HTTP Basic was tried.
/// </summary>
public sealed class ClientAuthenticationStep(ClientAuthenticator authenticator)
{
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the client read.</param>
    /// <param name="before">A check that comes before client authentication; its error refuses the request.</param>
    /// <param name="readAhead">
    /// Starts the endpoint's first storage read alongside the client read (docs/PERFORMANCE.md, "Sequential depth"); called
    /// only for a request that passed <paramref name="before"/> and names a client, so an anonymous request reads nothing.
    /// </param>
    /// <param name="confidentialOnly">Refuse public clients (<paramref name="publicClientError"/>, answered as a client error).</param>
    /// <param name="publicClientError">The error for a public client when <paramref name="confidentialOnly"/>.</param>
    public async Task<AuthenticatedRequest> RunAsync(
        OAuthRequest request,
        CancellationToken cancellationToken,
        Func<OAuthRequest, OAuthError?>? before = null,
        Action<OAuthRequest>? readAhead = null,
        bool confidentialOnly = false,
        OAuthError? publicClientError = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((FormParameters.CheckFormPost(request) ?? before?.Invoke(request)) is { } error)
        {
            return AuthenticatedRequest.Refuse(OAuthResponse.Error(error));
        }

        if (readAhead is not null && !string.IsNullOrEmpty(ClientAuthenticator.NamedClientId(request)))
        {
            readAhead(request);
        }

        var authentication = await authenticator.AuthenticateAsync(request, cancellationToken);
        if (authentication.Client is not { } client)
        {
            return AuthenticatedRequest.Refuse(OAuthResponse.ClientError(authentication.Error!, authentication.BasicAttempted));
        }

        if (confidentialOnly && client.IsPublic)
        {
            return AuthenticatedRequest.Refuse(OAuthResponse.ClientError(publicClientError ?? OAuthErrors.ClientAuthenticationFailed, authentication.BasicAttempted));
        }

        return new AuthenticatedRequest(client, null);
    }
}

/// <summary>An authenticated client, or the response that refuses the request.</summary>
public sealed record AuthenticatedRequest(Client? Client, OAuthResponse? Refusal)
{
    public static AuthenticatedRequest Refuse(OAuthResponse refusal) => new(null, refusal);
}
