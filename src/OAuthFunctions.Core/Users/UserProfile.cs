namespace OAuthFunctions.Core.Users;

/// <summary>
/// The claims a person's profile can release (OpenID Connect Core §5.1): <c>name</c> under the <c>profile</c> scope,
/// <c>email</c> and <c>email_verified</c> under <c>email</c> (§5.4). Null members are not released.
/// </summary>
public sealed record UserProfile(string? Name, string? Email, bool EmailVerified)
{
    public static UserProfile Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserProfile(user.Name, user.Email, user.EmailVerified);
    }

    /// <summary>Only what <paramref name="scope"/> releases: <c>name</c> for <c>profile</c>, the email claims for <c>email</c>.</summary>
    public UserProfile ReleasedBy(int scope) => new(
        (scope & Scopes.ScopeRegistry.ProfileBit) != 0 ? Name : null,
        (scope & Scopes.ScopeRegistry.EmailBit) != 0 ? Email : null,
        (scope & Scopes.ScopeRegistry.EmailBit) != 0 && Email is not null && EmailVerified);
}
