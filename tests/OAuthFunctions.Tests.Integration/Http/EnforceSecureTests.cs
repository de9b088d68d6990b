using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>EnforceSecure (OAUTH_ENFORCE_SECURE): plain HTTP is refused on every endpoint (docs/BEHAVIOUR.md §5).</summary>
public sealed class EnforceSecureTests : IAsyncLifetime
{
    private const string Issuer = "https://login.example.com";
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:EnforceSecure", "true").With("OAuth:Issuer", Issuer));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Token_endpoint_over_plain_http_is_400_secure_connection_required()
    {
        using var http = _server.CreateClient();
        var error = await OAuthAssert.ErrorAsync(await http.PostFormAsync("/oauth2/access_token"), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("A secure connection is required.", error.Str("error_description"));
    }

    [Fact]
    public async Task Authorization_page_over_plain_http_is_400_page()
    {
        using var http = _server.CreateClient();
        var response = await http.GetAsync("/oauth2/authorize?client_id=x&response_type=code");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A secure connection is required.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        OAuthAssert.NoStore(response);
    }

    [Theory]
    [InlineData("/oauth2/login")]
    [InlineData("/oauth2/redirect")]
    [InlineData("/oauth2/authorize/confirm")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Every_get_endpoint_refuses_plain_http(string path)
    {
        using var http = _server.CreateClient();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A secure connection is required.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_reported_by_a_trusted_proxy_is_accepted()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:EnforceSecure", "true").With("OAuth:Issuer", Issuer).With("OAuth:ForwardedHops", "1"));
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var metadata = await OAuthAssert.SuccessAsync(await http.SendAsync(request));
        Assert.Equal(Issuer, metadata.Str("issuer"));
    }

    [Fact]
    public async Task Https_claimed_by_the_client_itself_is_refused()
    {
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await http.SendAsync(request);
        var error = await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("A secure connection is required.", error.Str("error_description"));
    }
}
