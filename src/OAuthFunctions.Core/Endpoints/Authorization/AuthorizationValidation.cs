using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// The outcome of validating an authorization request: valid, an error shown to the person (the client or redirect
/// URI cannot be trusted, so never redirected), or an error sent back to the client's redirect URI.
/// </summary>
public sealed record AuthorizationValidation(AuthorizationRequest? Request, string? PageError, FlowResult? RedirectError)
{
    public static AuthorizationValidation Valid(AuthorizationRequest request) => new(request, null, null);

    public static AuthorizationValidation ShowError(string message) => new(null, message, null);

    /// <summary>RFC 6749 §4.1.2.1 / §4.2.2.1: error, error_description and state, in the query (or fragment for token).</summary>
    public static AuthorizationValidation Redirect(string redirectUri, bool inFragment, OAuthError error, string? state) =>
        new(null, null, ErrorResult(redirectUri, inFragment, error, state));

    public static FlowResult ErrorResult(string redirectUri, bool inFragment, OAuthError error, string? state)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parameters = new Dictionary<string, string>
        {
            ["error"] = error.Code,
            ["error_description"] = error.Description,
        };
        if (state is not null)
        {
            parameters["state"] = state;
        }

        return new FlowResult(redirectUri, inFragment, parameters);
    }
}
