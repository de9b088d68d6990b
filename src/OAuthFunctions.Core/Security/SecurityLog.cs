using Microsoft.Extensions.Logging;

namespace OAuthFunctions.Core.Security;

/// <summary>
/// Security events, one structured log entry each with a stable event id and name (category
/// <see cref="Category"/>), for alerting and investigation (docs/OPERATIONS.md lists them with their queries). Each
/// message starts with the event name, because the Functions host forwards a worker's log message and event id but
/// not its structured values. They carry user ids, client ids, family keys and client addresses; never a password,
/// secret, code, token or family id.
/// </summary>
public sealed partial class SecurityLog(ILoggerFactory loggers)
{
    public const string Category = "OAuthFunctions.Security";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    [LoggerMessage(EventId = 1001, EventName = "SignInFailed", Level = LogLevel.Warning, Message = "SignInFailed: Sign-in failed for user {UserId} from {Address}: {Reason}")]
    public partial void SignInFailed(string? userId, string? address, string reason);

    [LoggerMessage(EventId = 1002, EventName = "SignInThrottled", Level = LogLevel.Warning, Message = "SignInThrottled: Sign-in refused without a password check: address {Address} spent its guess budget")]
    public partial void SignInThrottled(string? address);

    [LoggerMessage(EventId = 1003, EventName = "AccountLocked", Level = LogLevel.Warning, Message = "AccountLocked: Account {UserId} locked until {LockedUntil} after {Failures} failed sign-ins (last from {Address})")]
    public partial void AccountLocked(string userId, DateTimeOffset lockedUntil, int failures, string? address);

    [LoggerMessage(EventId = 1004, EventName = "SignInRefusedLocked", Level = LogLevel.Warning, Message = "SignInRefusedLocked: Sign-in refused without a password check: account {UserId} is locked (from {Address})")]
    public partial void SignInRefusedLocked(string userId, string? address);

    [LoggerMessage(EventId = 1005, EventName = "SignInSucceeded", Level = LogLevel.Information, Message = "SignInSucceeded: User {UserId} signed in from {Address}")]
    public partial void SignInSucceeded(string userId, string? address);

    [LoggerMessage(EventId = 1006, EventName = "SessionEnded", Level = LogLevel.Information, Message = "SessionEnded: Sign-in of user {UserId} ended: the account changed since (password, disabled or removed)")]
    public partial void SessionEnded(string userId);

    [LoggerMessage(EventId = 1010, EventName = "ClientAuthenticationFailed", Level = LogLevel.Warning, Message = "ClientAuthenticationFailed: Client authentication failed for client {ClientId} from {Address}")]
    public partial void ClientAuthenticationFailed(string? clientId, string? address);

    [LoggerMessage(EventId = 1020, EventName = "CodeReused", Level = LogLevel.Warning, Message = "CodeReused: Authorization code of client {ClientId} for user {UserId} presented again; what it produced is revoked")]
    public partial void CodeReused(string clientId, string? userId);

    [LoggerMessage(EventId = 1021, EventName = "RefreshTokenReused", Level = LogLevel.Warning, Message = "RefreshTokenReused: Rotated refresh token of client {ClientId} for user {UserId} presented again (family {Family}); the family is revoked")]
    public partial void RefreshTokenReused(string clientId, string? userId, string family);

    [LoggerMessage(EventId = 1022, EventName = "FamilyRevoked", Level = LogLevel.Information, Message = "FamilyRevoked: Refresh token family {Family} of client {ClientId} for user {UserId} revoked: {Reason}")]
    public partial void FamilyRevoked(string family, string clientId, string? userId, string reason);

    [LoggerMessage(EventId = 1023, EventName = "RefreshRefusedAccountChanged", Level = LogLevel.Warning, Message = "RefreshRefusedAccountChanged: Refresh token of client {ClientId} refused: user {UserId} was disabled, removed or changed password since it was issued")]
    public partial void RefreshRefusedAccountChanged(string clientId, string? userId);

    [LoggerMessage(EventId = 1100, EventName = "AdminChange", Level = LogLevel.Information, Message = "AdminChange: Administrative change {Action}: client {ClientId}, user {UserId}, {Count} tokens revoked")]
    public partial void AdminChange(string action, string? clientId, string? userId, int count);
}
