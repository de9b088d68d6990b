using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// What a token string presented to the token, revocation or introspection endpoint names: a refresh token of a
/// family (<see cref="Family"/>), or a stored row (<see cref="Row"/>: a code, an access token, or a refresh token with a
/// row of its own). Tokens in this server's formats are located from the string alone (docs/ARCHITECTURE.md, "Keys");
/// tokens imported from django-oauth2-provider, whose strings say nothing about where they are stored, cost one point
/// read of an index keyed by their hash, and only they: a string in this server's format never takes that path.
/// </summary>
public sealed record PresentedToken(TokenHandle? Family, TokenRef? Row)
{
    /// <summary>
    /// The token a string names, or null when it names none (malformed, from an expiry hour already past, or an unknown
    /// imported token). An imported token's index is read only after the client authenticated; a token in this server's own
    /// format may be read alongside the client read, and only for a request that names a client: an anonymous caller
    /// cannot make the server read anything.
    /// </summary>
    public static async Task<PresentedToken?> LocateAsync(string value, ITokenStore tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(time);
        if (TokenHandle.TryParse(value, out var handle))
        {
            return handle!.ExpiredBefore(time.GetUtcNow()) ? null
                : handle.Family is not null ? new PresentedToken(handle, null)
                : new PresentedToken(null, handle.Ref);
        }

        return TokenHandle.IsImportedToken(value) && await tokens.FindImportedAsync(TokenHandle.HashOf(value!), cancellationToken) is { } row
            ? new PresentedToken(null, row)
            : null;
    }
}
