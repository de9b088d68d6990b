using System.Net;
using System.Text.Json;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// docs/BEHAVIOUR.md §1: a method an endpoint does not serve gets the endpoint's own error, never an empty 405: the
/// JSON <c>invalid_request</c> (the error page for the pages), with <c>Allow</c> naming what it serves (RFC 9110
/// §15.5.6). GET on the POST-only endpoints keeps the original token endpoint's 400 "Only POST requests allowed."
/// </summary>
public sealed class WrongMethodTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/oauth2/introspect")]
    [InlineData("/oauth2/revoke")]
    [InlineData("/oauth2/access_token")]
    public async Task Get_on_a_post_endpoint_is_invalid_request_with_allow_post(string path)
    {
        using var http = fixture.Server.CreateClient();
        var response = await http.GetAsync(path);

        var error = await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("Only POST requests allowed.", error.Str("error_description"));
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("PUT", "/oauth2/access_token", "POST")]
    [InlineData("DELETE", "/oauth2/revoke", "POST")]
    [InlineData("PATCH", "/oauth2/introspect", "POST")]
    [InlineData("POST", "/.well-known/oauth-authorization-server", "GET")]
    [InlineData("DELETE", "/oauth2/redirect", "GET")]
    public async Task Other_methods_on_an_api_endpoint_are_405_invalid_request_with_allow(string method, string path, string allow)
    {
        using var http = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await http.SendAsync(request);

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request");
        Assert.Equal([allow], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("GET", "/oauth2/logout", "POST")]
    [InlineData("PUT", "/oauth2/login", "GET, POST")]
    [InlineData("DELETE", "/oauth2/authorize", "GET, POST")]
    public async Task Wrong_method_on_a_page_is_the_error_page_with_allow(string method, string path, string allow)
    {
        using var http = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        OAuthAssert.NoStore(response);
    }

    [Fact]
    public async Task Wrong_method_is_refused_before_the_body_is_read()
    {
        var client = await fixture.Server.AddClientAsync();
        using var http = fixture.Server.CreateClient();
        fixture.Server.Counter.Reset();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/oauth2/access_token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("client_id", client.ClientId), new("client_secret", client.Secret!)]),
        };
        var response = await http.SendAsync(request);

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.Equal(0, fixture.Server.Counter.Count);
    }
}
