using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>One grant type's rules (RFC 6749 §4): a token request in, the stored tokens or an error out.</summary>
public interface IGrantHandler
{
    string GrantType { get; }

    /// <summary>
    /// Starts the grant's first storage read from the request alone, while the client is being authenticated
    /// (<see cref="Endpoints.ReadAhead"/>); handed back in <see cref="TokenRequest.ReadAhead"/>. Null when the grant reads
    /// nothing before it needs the client, or the request cannot name anything to read.
    /// </summary>
    ReadAhead? StartReadAhead(OAuthRequest request, CancellationToken cancellationToken) => null;

    Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken);
}
