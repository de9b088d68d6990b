using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Http;

/// <summary>
/// Builds the host-agnostic <see cref="OAuthRequest"/> from ASP.NET Core's <see cref="HttpRequest"/>, or refuses a
/// request too large to read (<see cref="RequestLimits"/>).
/// </summary>
internal static class HttpRequestAdapter
{
    private const string FormMediaType = "application/x-www-form-urlencoded";

    public static async Task<Result<OAuthRequest>> ReadAsync(HttpRequest request, OAuthOptions options, CancellationToken cancellationToken)
    {
        if (RequestLimits.RefuseDeclared(request) is { } refused)
        {
            return refused;
        }

        var client = ClientConnection.Of(request, options.ForwardedHops);
        var secure = client.IsHttps;

        // Without OAuth__Issuer the issuer follows the Host a client sent: fine on a developer's machine, which is why
        // EnforceSecure (production) refuses to start without it.
        var origin = options.Issuer is { } issuer
            ? issuer.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"{(secure ? "https" : "http")}://{client.Host}";

        IReadOnlyDictionary<string, StringValues> form = new Dictionary<string, StringValues>();
        var hasForm = false;
        var malformed = false;
        if (IsUrlEncodedForm(request.ContentType))
        {
            // A body without Content-Length (chunked) is cut off just past the limit while it is parsed.
            var original = request.Body;
            var bounded = new BoundedBody(original, RequestLimits.MaxBodyBytes);
            request.Body = bounded;
            try
            {
                var parsed = await request.ReadFormAsync(cancellationToken);
                form = parsed.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);
                hasForm = true;
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // The server's own body limit, where it is lower.
                return OAuthErrors.BodyTooLarge;
            }
            // A charset .NET cannot decode (e.g. utf-7) throws NotSupportedException or ArgumentException: a malformed form, not a fault.
            catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                malformed = true;
            }
            finally
            {
                request.Body = original;
            }

            if (bounded.Exceeded)
            {
                return OAuthErrors.BodyTooLarge;
            }
        }

        return new OAuthRequest
        {
            Method = request.Method.ToUpperInvariant(),
            IsSecure = secure,
            Origin = origin,
            Query = request.Query.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal),
            Form = form,
            HasFormBody = hasForm,
            FormMalformed = malformed,
            Authorization = request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null,
            Cookies = request.Cookies.ToDictionary(cookie => cookie.Key, cookie => cookie.Value, StringComparer.Ordinal),
            RemoteAddress = client.Address,
            OriginHeader = Single(request.Headers.Origin),
            AccessControlRequestMethod = Single(request.Headers.AccessControlRequestMethod),
        };
    }

    /// <summary>A header sent exactly once; a repeated one counts as absent (nothing to trust in either copy).</summary>
    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && string.Equals(mediaType.MediaType.Value, FormMediaType, StringComparison.OrdinalIgnoreCase);
}
