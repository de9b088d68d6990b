using System.Buffers.Text;
using System.Security.Cryptography;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// A resource owner. <see cref="UserId"/> is a stable random identifier (the <c>sub</c> of introspection), so a
/// user removed and added again under the same name does not inherit old tokens.
/// </summary>
public sealed record User
{
    public required string UserId { get; init; }

    public required string Username { get; init; }

    /// <summary>ASP.NET Core Identity <c>PasswordHasher&lt;T&gt;</c> format (PBKDF2).</summary>
    public required string PasswordHash { get; init; }

    public bool Disabled { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Changes whenever the password changes or the account is disabled. Sign-ins and refresh tokens carry the stamp
    /// they were made under and stop working when it is no longer the user's. Empty for rows written before stamps.
    /// </summary>
    public string SecurityStamp { get; init; } = string.Empty;

    /// <summary>Wrong passwords since the last successful sign-in.</summary>
    public int FailedLogins { get; init; }

    /// <summary>Until when sign-in is refused after too many wrong passwords.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>Guesses counted but not yet checked (each sign-in reserves one before its password is checked).</summary>
    public int PendingGuesses { get; init; }

    /// <summary>When the latest pending guess was reserved; pending guesses older than a request can live are void.</summary>
    public DateTimeOffset? PendingSince { get; init; }

    /// <summary>The person's full name (OpenID Connect Core §5.1 <c>name</c>), released by the <c>profile</c> scope.</summary>
    public string? Name { get; init; }

    /// <summary>The person's email address (§5.1 <c>email</c>), released by the <c>email</c> scope.</summary>
    public string? Email { get; init; }

    /// <summary>Whether the operator verified <see cref="Email"/> (§5.1 <c>email_verified</c>).</summary>
    public bool EmailVerified { get; init; }

    /// <summary>Storage concurrency token of the row this was read from.</summary>
    public string? Version { get; init; }

    /// <summary>A new security stamp (128 random bits).</summary>
    public static string NewSecurityStamp() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
