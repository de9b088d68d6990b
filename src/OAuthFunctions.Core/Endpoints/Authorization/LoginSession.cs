namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// Who is signed in, until when, and under which security stamp (a sign-in whose stamp is no longer the user's is
/// over). Lives in an encrypted, HttpOnly, SameSite cookie; no storage row.
/// </summary>
public sealed record LoginSession(string UserId, string Username, DateTimeOffset ExpiresAt, string? Stamp = null);
