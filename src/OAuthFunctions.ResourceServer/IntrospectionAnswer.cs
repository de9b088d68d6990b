namespace OAuthFunctions.ResourceServer;

/// <summary>What the server said about an active access token (RFC 7662 §2.2), kept without the token itself.</summary>
internal sealed record IntrospectionAnswer(
    IReadOnlyList<string> Scopes,
    string? ClientId,
    string? Subject,
    string? Username,
    DateTimeOffset? ExpiresAt);
