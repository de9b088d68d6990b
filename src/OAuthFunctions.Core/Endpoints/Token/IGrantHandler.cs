using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>One grant type's rules (RFC 6749 §4): a token request in, the stored tokens or an error out.</summary>
public interface IGrantHandler
{
    string GrantType { get; }

    Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken);
}
