using System.Text.Json.Serialization;
using OAuthFunctions.Core.Signing;

namespace OAuthFunctions.Core.Http;

/// <summary>A JWK Set (RFC 7517 §5).</summary>
public sealed record JwksBody([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys);
