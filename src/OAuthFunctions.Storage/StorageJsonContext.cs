using System.Text.Json.Serialization;

namespace OAuthFunctions.Storage;

[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
