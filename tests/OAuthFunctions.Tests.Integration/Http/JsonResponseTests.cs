using System.Net;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// docs/BEHAVIOUR.md §9: JSON responses escape only what JSON requires, and say they are JSON and nothing else
/// (<c>nosniff</c>), which is what makes leaving HTML-sensitive characters unescaped safe.
/// </summary>
public sealed class JsonResponseTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Error_description_keeps_its_apostrophes()
    {
        using var http = fixture.Server.CreateClient();
        using var form = new FormUrlEncodedContent([new("scope", "read")]);
        var response = await http.PostAsync("/oauth2/access_token", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":"invalid_request","error_description":"No 'grant_type' included in the request."}""", body);
    }

    [Theory]
    [InlineData("GET", "/.well-known/oauth-authorization-server")]
    [InlineData("POST", "/oauth2/access_token")]
    [InlineData("GET", "/oauth2/redirect")]
    public async Task Json_responses_are_not_sniffed(string method, string path)
    {
        using var http = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await http.SendAsync(request);

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
