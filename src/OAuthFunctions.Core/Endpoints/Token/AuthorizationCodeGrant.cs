using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>authorization_code</c> (RFC 6749 §4.1.3, RFC 7636 §4.6). The code must exist, belong to this client, be
/// unexpired and unused; <c>redirect_uri</c> must match; the PKCE verifier must match the stored challenge; a
/// narrower scope is honoured. Redemption is single-use under concurrency, and a second use revokes what the code
/// produced. Storage cost: client read, code read, access token and family inserts, one conditional update of the code;
/// the code read runs alongside the client read, the inserts together: three round trips one after another.
/// </summary>
public sealed class AuthorizationCodeGrant(ScopeRegistry scopes, TokenIssuer issuer, ITokenStore tokens, TokenRevocation revocation, TimeProvider time) : IGrantHandler
{
    public string GrantType => GrantTypes.AuthorizationCode;

    public ReadAhead? StartReadAhead(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Presented(FormParameters.Get(request.Form, "code")) is { } handle
            ? ReadAhead.Start<StoredCode>(handle.Value, () => tokens.FindCodeAsync(handle, cancellationToken))
            : null;
    }

    public async Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = request.Client;
        var value = request.Param("code");
        if (value is null)
        {
            return OAuthErrors.MissingCode;
        }

        var now = time.GetUtcNow();
        if (Presented(value) is not { } handle)
        {
            return OAuthErrors.InvalidCode;
        }

        var code = await ReadAhead.ResultAsync<StoredCode>(request.ReadAhead, handle.Value, () => tokens.FindCodeAsync(handle, cancellationToken));

        // RFC 6749 §5.2 invalid_grant: the code is invalid, expired, revoked, or was issued to another client.
        if (code is null || code.Grant.ClientId != client.ClientId)
        {
            return OAuthErrors.InvalidCode;
        }

        // RFC 6749 §4.1.2: if a code is used more than once, the server SHOULD revoke all tokens issued from it.
        if (code.Used)
        {
            await revocation.CodeReusedAsync(handle, code, cancellationToken);
            return OAuthErrors.InvalidCode;
        }

        if (code.Grant.IsExpired(now))
        {
            return OAuthErrors.InvalidCode;
        }

        if (CheckRedirectUri(code, request.Param("redirect_uri")) is { } redirectError)
        {
            return redirectError;
        }

        if (CheckVerifier(code, request.Param("code_verifier")) is { } pkceError)
        {
            return pkceError;
        }

        // A narrower scope is honoured; a wider one is refused (as RFC 6749 §6 says for refresh).
        var scope = scopes.Parse(request.Param("scope"), code.Grant.Scope);
        if (scope is not { } granted || !ScopeRegistry.Check(granted, code.Grant.Scope))
        {
            return OAuthErrors.ScopeInvalid;
        }

        var refresh = client.Allows(GrantTypes.RefreshToken) ? new RefreshPlan(granted) : null;
        var pair = issuer.Mint(client, ResourceOwner.Of(code.Grant), granted, refresh);
        if (await tokens.RedeemCodeAsync(code, pair, cancellationToken) == CommitResult.AlreadyUsed)
        {
            // Another redemption won the race: this is a second use, so what the winner got is revoked too.
            await revocation.CodeReusedAsync(handle, code, cancellationToken);
            return OAuthErrors.InvalidCode;
        }

        // OpenID Connect Core §3.1.3.3: an OpenID Connect request's exchange answers with an ID token, which carries the
        // nonce and auth_time the code kept (§3.1.3.6); the token endpoint signs it once the code is spent.
        return code.Grant.AuthTime is { } authTime && ScopeRegistry.IsOpenId(granted)
            ? pair with { Identity = new IdentityClaims(authTime, code.Nonce, code.Profile) }
            : pair;
    }

    /// <summary>A well-formed code whose expiry hour is not over; anything else is refused without a storage read.</summary>
    private TokenHandle? Presented(string? value) =>
        TokenHandle.TryParse(value, TokenKind.AuthorizationCode, out var handle) && !handle!.ExpiredBefore(time.GetUtcNow()) ? handle : null;

    /// <summary>
    /// RFC 6749 §4.1.3: redirect_uri is required if the authorization request included it, and the values MUST be
    /// identical. When the request relied on the single registered URI, a redirect_uri sent now must still be that URI.
    /// </summary>
    private static OAuthError? CheckRedirectUri(StoredCode code, string? redirectUri)
    {
        if (code.RedirectUriGiven)
        {
            return redirectUri == code.RedirectUri ? null : OAuthErrors.RedirectUriMismatch;
        }

        return redirectUri is null || redirectUri == code.RedirectUri ? null : OAuthErrors.RedirectUriMismatch;
    }

    /// <summary>
    /// RFC 7636 §4.6: a code bound to a challenge needs the matching verifier. A verifier for a code without a
    /// challenge is refused too (OAuth 2.0 Security BCP §2.1.1, against PKCE downgrade).
    /// </summary>
    private static OAuthError? CheckVerifier(StoredCode code, string? verifier)
    {
        if (code.CodeChallenge is null)
        {
            return verifier is null ? null : OAuthErrors.UnexpectedCodeVerifier;
        }

        return verifier is not null && Pkce.Verify(verifier, code.CodeChallenge) ? null : OAuthErrors.PkceVerificationFailed;
    }
}
