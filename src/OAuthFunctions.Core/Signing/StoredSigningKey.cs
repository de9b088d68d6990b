using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// A signing key as stored: the private key (PKCS#8) only as Data Protection ciphertext, never in plaintext; the public
/// key is derived from it when the ring is loaded.
/// </summary>
public sealed record StoredSigningKey(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("created")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("activates")] DateTimeOffset ActivatesAt,
    [property: JsonPropertyName("private")] string ProtectedPrivateKey);

/// <summary>The stored ring and the storage's concurrency token of the row it was read from.</summary>
public sealed record StoredSigningKeyRing(IReadOnlyList<StoredSigningKey> Keys, string Version);
