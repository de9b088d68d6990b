using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>The successful token response of RFC 6749 §5.1, with OpenID Connect Core §3.1.3.3's <c>id_token</c>.</summary>
public sealed record TokenResponseBody(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken = null);
