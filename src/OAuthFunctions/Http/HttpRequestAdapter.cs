using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Http;

/// <summary>Builds the host-agnostic <see cref="OAuthRequest"/> from ASP.NET Core's <see cref="HttpRequest"/>.</summary>
internal static class HttpRequestAdapter
{
    private const string FormMediaType = "application/x-www-form-urlencoded";

    public static async Task<OAuthRequest> ReadAsync(HttpRequest request, OAuthOptions options, CancellationToken cancellationToken)
    {
        // Behind the Azure front end the worker sees plain HTTP; the front end says what the client used.
        var forwardedProto = request.Headers["X-Forwarded-Proto"].ToString().Split(',')[0].Trim();
        var secure = request.IsHttps || string.Equals(forwardedProto, "https", StringComparison.OrdinalIgnoreCase);
        var origin = options.Issuer is { } issuer
            ? issuer.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"{(secure ? "https" : "http")}://{(request.Host.HasValue ? request.Host.Value : "localhost")}";

        IReadOnlyDictionary<string, StringValues> form = new Dictionary<string, StringValues>();
        var hasForm = false;
        var malformed = false;
        if (IsUrlEncodedForm(request.ContentType))
        {
            try
            {
                var parsed = await request.ReadFormAsync(cancellationToken);
                form = parsed.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);
                hasForm = true;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException or InvalidOperationException)
            {
                malformed = true;
            }
        }

        return new OAuthRequest
        {
            Method = request.Method.ToUpperInvariant(),
            Path = request.Path.HasValue ? request.Path.Value! : "/",
            QueryString = request.QueryString.HasValue ? request.QueryString.Value! : string.Empty,
            IsSecure = secure,
            Origin = origin,
            Query = request.Query.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal),
            Form = form,
            HasFormBody = hasForm,
            FormMalformed = malformed,
            Authorization = request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null,
            Cookies = request.Cookies.ToDictionary(cookie => cookie.Key, cookie => cookie.Value, StringComparer.Ordinal),
            RemoteAddress = ClientAddress(request),
        };
    }

    private static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && string.Equals(mediaType.MediaType.Value, FormMediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The address the platform's front end saw: the last X-Forwarded-For entry (the one the nearest proxy added,
    /// which a client cannot forge), else the connection's address.
    /// </summary>
    private static string? ClientAddress(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
        {
            var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (last is not null)
            {
                return last;
            }
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString();
    }
}
