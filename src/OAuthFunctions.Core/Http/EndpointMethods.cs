using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Core.Http;

/// <summary>
/// The methods endpoints serve, and the one answer to any other: the endpoint's own error shape (the JSON
/// <c>invalid_request</c>, or the error page) with an <c>Allow</c> header, never an empty 405 from the host.
/// </summary>
public static class EndpointMethods
{
    public static IReadOnlyList<string> Get { get; } = ["GET"];

    public static IReadOnlyList<string> Post { get; } = ["POST"];

    public static IReadOnlyList<string> GetAndPost { get; } = ["GET", "POST"];

    /// <summary>
    /// Null when <paramref name="endpoint"/> serves <paramref name="method"/>; otherwise the error to answer. RFC 9110
    /// §15.5.6: a method the resource does not support is 405, with <c>Allow</c> (<see cref="Allow"/>). One exception
    /// keeps django-oauth2-provider's answer: its token endpoint refused GET with 400 "Only POST requests allowed."
    /// (docs/BEHAVIOUR.md §6), and the revocation and introspection endpoints, POST-only too, answer GET the same way.
    /// </summary>
    public static OAuthError? Refuse(IOAuthEndpoint endpoint, string method)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(method);
        if (endpoint.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var postOnlyApi = endpoint.Style == EndpointStyle.Api && endpoint.Methods.SequenceEqual(Post);
        return postOnlyApi && method.Equals("GET", StringComparison.OrdinalIgnoreCase) ? OAuthErrors.OnlyPost : OAuthErrors.MethodNotAllowed;
    }

    /// <summary>The <c>Allow</c> header value: the methods <paramref name="endpoint"/> serves (RFC 9110 §10.2.1).</summary>
    public static string Allow(IOAuthEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return string.Join(", ", endpoint.Methods);
    }
}
