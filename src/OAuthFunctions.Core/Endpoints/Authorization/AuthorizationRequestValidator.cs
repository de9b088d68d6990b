using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// Validates captured authorization parameters in the order of docs/BEHAVIOUR.md §5. Until the client and its redirect URI are
/// established, errors are shown to the person and never redirected (RFC 6749 §4.1.2.1: an invalid redirect URI
/// MUST NOT be followed); after that they go back to the client. One client read (none when cached).
/// </summary>
public sealed class AuthorizationRequestValidator(IClientStore clients, ScopeRegistry scopes, OAuthOptions options)
{
    public const string UnauthorizedClientMessage = "An unauthorized client tried to access your resources.";
    public const string RedirectMismatchMessage = "The requested redirect didn't match the client settings.";

    public async Task<AuthorizationValidation> ValidateAsync(IReadOnlyDictionary<string, string[]> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var clientId = Single(parameters, "client_id", out var clientIdRepeated);
        var client = clientId is null || clientIdRepeated ? null : await clients.FindAsync(clientId, cancellationToken);
        if (client is null)
        {
            return AuthorizationValidation.ShowError(UnauthorizedClientMessage);
        }

        // RFC 6749 §3.1.2.3: compare exactly with a registered URI (any port for loopback, RFC 8252 §7.3); with
        // several registered, the request must name one.
        var requested = Single(parameters, "redirect_uri", out var redirectRepeated);
        string redirectUri;
        if (redirectRepeated || (requested is not null && RedirectUris.Match(client.RedirectUris, requested) is null))
        {
            return AuthorizationValidation.ShowError(RedirectMismatchMessage);
        }
        else if (requested is not null)
        {
            redirectUri = requested;
        }
        else if (client.RedirectUris.Count == 1)
        {
            redirectUri = client.RedirectUris[0];
        }
        else
        {
            return AuthorizationValidation.ShowError(RedirectMismatchMessage);
        }

        var state = Single(parameters, "state", out _);
        var responseType = Single(parameters, "response_type", out _);
        var inFragment = responseType == "token" && options.ResponseTypes.Contains("token");
        AuthorizationValidation Fail(OAuthError error) => AuthorizationValidation.Redirect(redirectUri, inFragment, error, state);

        // RFC 6749 §3.1: parameters MUST NOT be included more than once.
        if (parameters.Values.Any(values => values.Length > 1))
        {
            return Fail(OAuthErrors.DuplicateParameter);
        }

        if (responseType is null)
        {
            return Fail(OAuthErrors.MissingResponseType);
        }

        if (responseType is not ("code" or "token") || !options.ResponseTypes.Contains(responseType))
        {
            return Fail(OAuthErrors.UnsupportedResponse);
        }

        if (!client.Allows(responseType == "code" ? GrantTypes.AuthorizationCode : GrantTypes.Implicit))
        {
            return Fail(OAuthErrors.ResponseTypeNotAllowed);
        }

        var scope = scopes.Parse(Single(parameters, "scope", out _), scopes.DefaultScope);
        if (scope is not { } requestedScope || !ScopeRegistry.Allows(client.Scope, requestedScope))
        {
            return Fail(OAuthErrors.ScopeInvalid);
        }

        var challenge = Single(parameters, "code_challenge", out _);
        var method = Single(parameters, "code_challenge_method", out _);
        if (responseType == "code" && CheckPkce(client, challenge, method) is { } pkceError)
        {
            return Fail(pkceError);
        }

        var (openId, openIdError) = OpenIdParameters.Read(parameters);
        if (openIdError is not null)
        {
            return Fail(openIdError);
        }

        // OpenID Connect Core §3.1.2.1: redirect_uri is REQUIRED in an OpenID Connect request.
        if (ScopeRegistry.IsOpenId(requestedScope) && requested is null)
        {
            return Fail(OAuthErrors.OpenIdRedirectUriRequired);
        }

        return AuthorizationValidation.Valid(new AuthorizationRequest(
            client,
            redirectUri,
            requested is not null,
            responseType,
            requestedScope,
            state,
            responseType == "code" ? challenge : null,
            openId));
    }

    /// <summary>
    /// RFC 7636: only S256 is supported (a challenge without a method means "plain", §4.3, which is refused); public
    /// clients must use PKCE (OAuth 2.0 Security BCP §2.1.1).
    /// </summary>
    private static OAuthError? CheckPkce(Client client, string? challenge, string? method)
    {
        if (challenge is null)
        {
            if (method is not null)
            {
                return OAuthErrors.PkceChallengeMalformed;
            }

            return client.RequiresPkce ? OAuthErrors.PkceRequired : null;
        }

        if (method != Pkce.S256)
        {
            return OAuthErrors.PkceMethodUnsupported;
        }

        return Pkce.IsWellFormedChallenge(challenge) ? null : OAuthErrors.PkceChallengeMalformed;
    }

    /// <summary>The value of a parameter (empty counts as absent, RFC 6749 §3.1), and whether it was sent more than once.</summary>
    private static string? Single(IReadOnlyDictionary<string, string[]> parameters, string name, out bool repeated)
    {
        repeated = false;
        if (!parameters.TryGetValue(name, out var values) || values.Length == 0)
        {
            return null;
        }

        repeated = values.Length > 1;
        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }
}
