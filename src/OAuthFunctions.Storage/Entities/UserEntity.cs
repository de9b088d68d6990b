using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Storage.Entities;

/// <summary>A row of the Users table (PartitionKey = username).</summary>
public sealed class UserEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = TableKeys.SingletonRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string UserId { get; set; } = string.Empty;

    public string PasswordHash { get; set; } = string.Empty;

    public bool Disabled { get; set; }

    public string? SecurityStamp { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int FailedLogins { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public int PendingGuesses { get; set; }

    public DateTimeOffset? PendingSince { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public bool EmailVerified { get; set; }

    public static UserEntity From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserEntity
        {
            PartitionKey = user.Username,
            UserId = user.UserId,
            PasswordHash = user.PasswordHash,
            Disabled = user.Disabled,
            SecurityStamp = user.SecurityStamp,
            CreatedAt = user.CreatedAt,
            FailedLogins = user.FailedLogins,
            LockedUntil = user.LockedUntil,
            PendingGuesses = user.PendingGuesses,
            PendingSince = user.PendingSince,
            Name = user.Name,
            Email = user.Email,
            EmailVerified = user.EmailVerified,
        };
    }

    public User ToUser() => new()
    {
        UserId = UserId,
        Username = PartitionKey,
        PasswordHash = PasswordHash,
        Disabled = Disabled,
        SecurityStamp = SecurityStamp ?? string.Empty,
        CreatedAt = CreatedAt,
        FailedLogins = FailedLogins,
        LockedUntil = LockedUntil,
        PendingGuesses = PendingGuesses,
        PendingSince = PendingSince,
        Name = Name,
        Email = Email,
        EmailVerified = EmailVerified,
        Version = ETag.ToString(),
    };
}
