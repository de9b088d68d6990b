using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>The UserInfo response (OpenID Connect Core §5.3.2): <c>sub</c> and the claims the token's scopes release.</summary>
public sealed record UserInfoBody(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("email")] string? Email = null,
    [property: JsonPropertyName("email_verified")] bool? EmailVerified = null);
