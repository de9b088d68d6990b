namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// The person a token acts for: stable id, name, the security stamp they signed in under and, when they signed in on
/// the authorization pages, when (<c>auth_time</c>).
/// </summary>
public sealed record ResourceOwner(string UserId, string Username, string? Stamp, DateTimeOffset? AuthTime = null)
{
    /// <summary>The owner recorded in a stored grant, if it has one.</summary>
    public static ResourceOwner? Of(TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.UserId is { } id ? new ResourceOwner(id, grant.Username ?? string.Empty, grant.Stamp, grant.AuthTime) : null;
    }
}
