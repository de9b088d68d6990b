using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>Source-generated JSON for every body the server writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(TokenResponseBody))]
[JsonSerializable(typeof(IntrospectionBody))]
[JsonSerializable(typeof(MetadataBody))]
[JsonSerializable(typeof(UserInfoBody))]
[JsonSerializable(typeof(JwksBody))]
public sealed partial class OAuthJsonContext : JsonSerializerContext;
