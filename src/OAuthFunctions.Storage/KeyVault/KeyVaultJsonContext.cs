using System.Text.Json.Serialization;

namespace OAuthFunctions.Storage.KeyVault;

/// <summary>Key Vault's key operation request (<c>alg</c>, <c>value</c>).</summary>
internal sealed record KeyOperation([property: JsonPropertyName("alg")] string Alg, [property: JsonPropertyName("value")] string Value);

/// <summary>Key Vault's key operation result: the versioned key id and the result value, base64url.</summary>
internal sealed record KeyOperationResult([property: JsonPropertyName("kid")] string Kid, [property: JsonPropertyName("value")] string Value);

[JsonSerializable(typeof(KeyOperation))]
[JsonSerializable(typeof(KeyOperationResult))]
internal sealed partial class KeyVaultJsonContext : JsonSerializerContext;
