using System.Text.Json.Serialization;

namespace OAuthFunctions.Core.Http;

/// <summary>The error response of RFC 6749 §5.2.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
