using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Endpoints.Authorization;

[JsonSerializable(typeof(LoginSession))]
[JsonSerializable(typeof(FlowState))]
internal sealed partial class FlowJsonContext : JsonSerializerContext;
