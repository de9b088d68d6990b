using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Signing;

/// <summary>A public signing key as JWKS publishes it (RFC 7517 §4; RSA: RFC 7518 §6.3.1, EC: §6.2.1).</summary>
public sealed record PublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("n")] string? N = null,
    [property: JsonPropertyName("e")] string? E = null,
    [property: JsonPropertyName("crv")] string? Crv = null,
    [property: JsonPropertyName("x")] string? X = null,
    [property: JsonPropertyName("y")] string? Y = null);
