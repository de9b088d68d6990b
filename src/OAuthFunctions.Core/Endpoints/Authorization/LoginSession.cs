namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>Who is signed in, until when. Lives in an encrypted, HttpOnly, SameSite cookie; no storage row.</summary>
public sealed record LoginSession(string UserId, string Username, DateTimeOffset ExpiresAt);
