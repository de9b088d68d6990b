using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// The ASP.NET Core authentication handler: the request's bearer token through <see cref="BearerTokenValidator"/>, and
/// the RFC 6750 §3 answers when authorization fails: 401 with the challenge (bare when no token was sent,
/// <c>invalid_token</c> or <c>invalid_request</c> otherwise), 403 <c>insufficient_scope</c> naming the scopes the
/// policy wanted, and 503 with <c>Retry-After</c> when the server could not be asked.
/// </summary>
public sealed class OAuthFunctionsIntrospectionHandler(
    IOptionsMonitor<OAuthFunctionsIntrospectionOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<OAuthFunctionsIntrospectionOptions>(options, logger, encoder)
{
    private BearerTokenResult? _result;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var validators = Context.RequestServices.GetService(typeof(BearerTokenValidators)) as BearerTokenValidators
            ?? throw new InvalidOperationException("Register the handler with AddOAuthFunctionsIntrospection.");
        _result = await validators.Get(Scheme.Name).ValidateAsync(Request.Headers.Authorization, Context.RequestAborted);
        return _result.Status switch
        {
            BearerTokenStatus.Valid => AuthenticateResult.Success(new AuthenticationTicket(_result.Principal!, Scheme.Name)),
            // No bearer token is not a failure: the endpoint may allow anonymous requests, or another scheme may apply.
            BearerTokenStatus.Missing => AuthenticateResult.NoResult(),
            _ => AuthenticateResult.Fail(_result.ErrorDescription!),
        };
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();

        // A challenge for a request whose token was fine (another scheme's policy) is a bare one, as for no token.
        var result = _result is { Succeeded: false } failed ? failed : new BearerTokenResult(BearerTokenStatus.Missing, null, Options.Realm);
        Response.StatusCode = result.StatusCode;
        if (result.RetryAfter is { } retryAfter)
        {
            Response.Headers.RetryAfter = retryAfter;
        }

        if (result.WwwAuthenticate is { } challenge)
        {
            Response.Headers.WWWAuthenticate = challenge;
        }
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        var missing = Context.Items[ScopeRequirement.MissingScopesItem] as List<string> ?? [];
        if (_result is { Succeeded: true } valid)
        {
            Response.Headers.WWWAuthenticate = valid.WithMissingScopes(missing).WwwAuthenticate;
        }

        return Task.CompletedTask;
    }
}
