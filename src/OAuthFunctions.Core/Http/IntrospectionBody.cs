using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>The introspection response of RFC 7662 §2.2; an inactive token yields only <c>active: false</c>.</summary>
public sealed record IntrospectionBody(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("username")] string? Username = null,
    [property: JsonPropertyName("token_type")] string? TokenType = null,
    [property: JsonPropertyName("exp")] long? Exp = null,
    [property: JsonPropertyName("iat")] long? Iat = null,
    [property: JsonPropertyName("sub")] string? Sub = null,
    [property: JsonPropertyName("iss")] string? Iss = null);
