using System.Net;
using System.Text.Json;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>Assertions every protocol test makes: status, error code, no-store headers, and that nothing leaked.</summary>
internal static class OAuthAssert
{
    private static readonly string[] LeakMarkers =
    [
        "Exception", "   at ", "Azure.", "RequestFailed", "devstoreaccount1", "StackTrace", "System.", "Microsoft.", "127.0.0.1:",
    ];

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        NoStore(response);
        NoLeak(body);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error_description").GetString()));
        return json;
    }

    public static async Task<JsonElement> SuccessAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        NoStore(response);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>RFC 6749 §5.1: Cache-Control: no-store and Pragma: no-cache (docs/BEHAVIOUR.md §1: on every response).</summary>
    public static void NoStore(HttpResponseMessage response)
    {
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("no-cache", string.Join(",", response.Headers.Pragma.Select(p => p.ToString())), StringComparison.Ordinal);
    }

    public static void NoLeak(string body)
    {
        foreach (var marker in LeakMarkers)
        {
            Assert.DoesNotContain(marker, body, StringComparison.Ordinal);
        }
    }

    public static void NoWwwAuthenticate(HttpResponseMessage response) => Assert.Empty(response.Headers.WwwAuthenticate);

    public static void BasicChallenge(HttpResponseMessage response) =>
        Assert.Equal("Basic realm=\"oauth2\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
}
