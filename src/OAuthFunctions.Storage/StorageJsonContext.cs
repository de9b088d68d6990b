using System.Text.Json.Serialization;

namespace OAuthFunctions.Storage;

[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<Core.Signing.StoredSigningKey>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
