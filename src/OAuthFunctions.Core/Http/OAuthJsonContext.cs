using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>Source-generated JSON for every body the server writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(TokenResponseBody))]
[JsonSerializable(typeof(IntrospectionBody))]
[JsonSerializable(typeof(MetadataBody))]
public sealed partial class OAuthJsonContext : JsonSerializerContext;
