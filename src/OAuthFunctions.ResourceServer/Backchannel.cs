using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// The calls to the server: its metadata (RFC 8414), read once and reused, and token introspection (RFC 7662) with
/// the API's client credentials. A call that gets no definite answer (refused connection, timeout, an HTTP error, a body
/// that is not what the RFCs say) is an outage: <see cref="UnavailableException"/>, logged once when the outage starts
/// and once when it ends, however many requests meet it in between.
/// </summary>
internal sealed partial class Backchannel : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _authority;
    private readonly string _issuer;
    private readonly AuthenticationHeaderValue _credentials;
    private readonly OAuthFunctionsIntrospectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _metadataLock = new(1, 1);
    // A reference swapped whole: requests read it without the lock, and a struct could be read half-written.
    private volatile Metadata? _metadata;
    private int _outage;

    public Backchannel(OAuthFunctionsIntrospectionOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _authority = new Uri(options.Authority!);
        _issuer = options.Authority!.TrimEnd('/');
        _http = new HttpClient(options.BackchannelHttpHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: options.BackchannelHttpHandler is null)
        {
            Timeout = options.BackchannelTimeout,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
        _credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Uri.EscapeDataString(options.ClientId!) + ":" + Uri.EscapeDataString(options.ClientSecret!))));
    }

    /// <summary>Whether http is acceptable for <paramref name="uri"/>: https, or a loopback host (local development).</summary>
    public static bool IsSecureOrLoopback(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || uri.Host is "127.0.0.1" or "[::1]" or "localhost";

    /// <summary>
    /// The server's answer for an access token: null when it is not active, not an access token, or not this
    /// issuer's. Throws <see cref="UnavailableException"/> when there is no definite answer.
    /// </summary>
    public async Task<IntrospectionAnswer?> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        var endpoint = await IntrospectionEndpointAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            // RFC 7662 §2.1: the token, and a hint of its kind.
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        request.Headers.Authorization = _credentials;
        var body = await SendAsync(request, "introspection", forgetMetadataOnFailure: true, cancellationToken);
        try
        {
            var answer = Read(body.RootElement);
            Recovered();
            return answer;
        }
        finally
        {
            body.Dispose();
        }
    }

    private IntrospectionAnswer? Read(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("active", out var active) || active.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Unavailable("the introspection answer has no active member", null);
        }

        if (!active.GetBoolean())
        {
            return null;
        }

        // RFC 7662 §2.2: token_type says what the token is; only an access token may be used as a bearer token here
        // (a refresh token is active too, but sending one to an API is a mistake or a theft).
        if (!string.Equals(Text(json, "token_type"), "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // RFC 7662 §2.2: iss names the server that issued the token; another server's token is not ours to accept.
        if (Text(json, "iss") is { } iss && !string.Equals(iss.TrimEnd('/'), _issuer, StringComparison.Ordinal))
        {
            return null;
        }

        DateTimeOffset? expires = json.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

        // RFC 7662 §2.2: scope is a space-separated list (RFC 6749 §3.3).
        var scopes = Text(json, "scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new IntrospectionAnswer(scopes, Text(json, "client_id"), Text(json, "sub"), Text(json, "username"), expires);
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The introspection endpoint from the metadata, read once per refresh interval (one reader at a time).</summary>
    private async Task<Uri> IntrospectionEndpointAsync(CancellationToken cancellationToken)
    {
        if (_metadata is { } cached && cached.Until > _time.GetUtcNow())
        {
            return cached.Endpoint;
        }

        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (_metadata is { } fresh && fresh.Until > _time.GetUtcNow())
            {
                return fresh.Endpoint;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, MetadataAddress());
            using var body = await SendAsync(request, "metadata", forgetMetadataOnFailure: false, cancellationToken);
            var json = body.RootElement;

            // RFC 8414 §3.3: the issuer in the metadata MUST be identical to the one the metadata was asked for;
            // otherwise another server's endpoints (and the API's credentials sent there) are at stake.
            if (json.ValueKind != JsonValueKind.Object || !string.Equals(Text(json, "issuer"), _issuer, StringComparison.Ordinal))
            {
                throw Unavailable("the metadata names another issuer than the configured Authority", null);
            }

            if (!Uri.TryCreate(Text(json, "introspection_endpoint"), UriKind.Absolute, out var endpoint)
                || (_options.RequireHttpsMetadata && !IsSecureOrLoopback(endpoint)))
            {
                throw Unavailable("the metadata names no usable introspection_endpoint", null);
            }

            _metadata = new Metadata(endpoint, _time.GetUtcNow() + _options.MetadataRefreshInterval);
            return endpoint;
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    /// <summary>RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path, if it has one.</summary>
    private Uri MetadataAddress()
    {
        var path = _authority.AbsolutePath.TrimEnd('/');
        return new Uri(_authority, "/.well-known/oauth-authorization-server" + path);
    }

    private async Task<JsonDocument> SendAsync(HttpRequestMessage request, string what, bool forgetMetadataOnFailure, CancellationToken cancellationToken)
    {
        try
        {
            return await ReceiveJsonAsync(request, what, cancellationToken);
        }
        catch (UnavailableException) when (forgetMetadataOnFailure)
        {
            // The endpoint may have moved; the next attempt reads the metadata again.
            _metadata = null;
            throw;
        }
    }

    private async Task<JsonDocument> ReceiveJsonAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // 401 here means the server refused the API's own credentials: a configuration problem, still no answer.
                throw Unavailable($"the {what} request was answered HTTP {(int)response.StatusCode}", null);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unavailable(ex is OperationCanceledException ? $"the {what} request timed out" : $"the {what} request failed", ex);
        }
    }

    private UnavailableException Unavailable(string reason, Exception? cause)
    {
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            LogOutage(_logger, _issuer, reason, cause);
        }

        return new UnavailableException(reason, cause);
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _outage, 0) == 1)
        {
            LogRecovered(_logger, _issuer);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _metadataLock.Dispose();
    }

    [LoggerMessage(EventId = 1, EventName = "IntrospectionUnavailable", Level = LogLevel.Error,
        Message = "The OAuthFunctions server {Issuer} cannot validate tokens: {Reason}. Requests with a bearer token get 503 until it can; this is logged once per outage")]
    private static partial void LogOutage(ILogger logger, string issuer, string reason, Exception? exception);

    [LoggerMessage(EventId = 2, EventName = "IntrospectionAvailable", Level = LogLevel.Information,
        Message = "The OAuthFunctions server {Issuer} validates tokens again")]
    private static partial void LogRecovered(ILogger logger, string issuer);

    private sealed record Metadata(Uri Endpoint, DateTimeOffset Until);

    /// <summary>No definite answer from the server.</summary>
    internal sealed class UnavailableException(string message, Exception? inner) : Exception(message, inner);
}
