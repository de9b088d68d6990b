using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>The successful token response of RFC 6749 §5.1.</summary>
public sealed record TokenResponseBody(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);
