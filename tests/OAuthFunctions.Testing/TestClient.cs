namespace OAuthFunctions.Testing;

/// <summary>A registered client as a test sees it: id, secret (null for public clients) and first redirect URI.</summary>
public sealed record TestClient(string ClientId, string? Secret, string RedirectUri);
