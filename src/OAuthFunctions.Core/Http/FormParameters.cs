using Microsoft.Extensions.Primitives;
using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Core.Http;

/// <summary>Reading request parameters by the RFC 6749 rules.</summary>
public static class FormParameters
{
    /// <summary>RFC 6749 §3.1 and §3.2: request parameters MUST NOT be included more than once.</summary>
    public static bool HasDuplicates(IReadOnlyDictionary<string, StringValues> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Values.Any(values => values.Count > 1);
    }

    /// <summary>
    /// The single value of <paramref name="name"/>, or null when absent or empty (RFC 6749 §3.1: parameters sent
    /// without a value are treated as if omitted).
    /// </summary>
    public static string? Get(IReadOnlyDictionary<string, StringValues> parameters, string name)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0])
            ? values[0]
            : null;
    }

    /// <summary>The common preamble of the POST-only form endpoints (token, revocation, introspection).</summary>
    public static OAuthError? CheckFormPost(OAuthRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsPost)
        {
            return OAuthErrors.OnlyPost;
        }

        if (request.FormMalformed || !request.HasFormBody)
        {
            return OAuthErrors.FormContentRequired;
        }

        return HasDuplicates(request.Form) ? OAuthErrors.DuplicateParameter : null;
    }
}
