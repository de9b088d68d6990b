using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Consuming.Support;

namespace OAuthFunctions.Tests.Consuming.ResourceServer;

/// <summary>
/// <c>AddOAuthFunctionsIntrospection</c> in an API, against the local host and Azurite (docs/BEHAVIOUR.md §13): the
/// RFC 6750 answers, the claims, and one introspection call per token and cache window.
/// </summary>
public sealed class IntrospectionHandlerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task No_token_is_401_with_a_bare_bearer_challenge()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());

        var response = await api.GetAsync("/read");

        // RFC 6750 §3.1: a request without authentication information gets no error code.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(Challenge.Bearer(response).Parameter);
    }

    [Fact]
    public async Task Another_authentication_scheme_is_answered_like_no_token()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());

        var response = await api.GetAsync("/read", "Basic dXNlcjpwYXNz");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(Challenge.Bearer(response).Parameter);
    }

    [Fact]
    public async Task Unknown_token_is_401_invalid_token()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());

        var response = await api.GetWithTokenAsync("/read", "a20493285Kx9fakefakefakefakefakefakefakefakefakefak");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_token", Challenge.Parameter(response, "error"));
        Assert.Equal("The access token is invalid, expired or revoked.", Challenge.Parameter(response, "error_description"));
    }

    [Fact]
    public async Task Valid_token_with_the_scope_is_accepted_with_its_claims()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());
        var (token, _, username) = await _server.UserTokensAsync("read write");

        var response = await api.GetWithTokenAsync("/read", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(username, user.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(user.GetProperty("sub").GetString()));
        Assert.NotEqual(username, user.GetProperty("sub").GetString());
        Assert.False(string.IsNullOrEmpty(user.GetProperty("client_id").GetString()));
        Assert.Equal(["read", "write"], user.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Client_credentials_token_has_the_client_as_subject_and_no_name()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());
        var (token, clientId) = await _server.ServiceTokenAsync("read");

        var user = await (await api.GetWithTokenAsync("/read", token)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(clientId, user.GetProperty("sub").GetString());
        Assert.Equal(clientId, user.GetProperty("client_id").GetString());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("name").ValueKind);
    }

    [Fact]
    public async Task Valid_token_without_the_scope_is_403_insufficient_scope_naming_it()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());
        var (token, _, _) = await _server.UserTokensAsync("read");

        var response = await api.GetWithTokenAsync("/write", token);

        // RFC 6750 §3.1: 403 insufficient_scope, and the scope attribute says what is needed.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("insufficient_scope", Challenge.Parameter(response, "error"));
        Assert.Equal("write", Challenge.Parameter(response, "scope"));
    }

    /// <summary>A refresh token is active too (RFC 7662 §2.2), but it is not a bearer credential for an API.</summary>
    [Fact]
    public async Task Refresh_token_is_refused_as_invalid_token()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());
        var (_, refresh, _) = await _server.UserTokensAsync("read");

        var response = await api.GetWithTokenAsync("/read", refresh);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_token", Challenge.Parameter(response, "error"));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer two tokens")]
    [InlineData("Bearer tok%en")]
    [InlineData("Bearer a,b")]
    [InlineData("Bearer a=b")]
    [InlineData("Bearer \"quoted\"")]
    public async Task Malformed_authorization_header_is_401_invalid_request(string header)
    {
        var counter = new IntrospectionCounter();
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o => o.BackchannelHttpHandler = counter);

        var response = await api.GetAsync("/read", header);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_request", Challenge.Parameter(response, "error"));
        Assert.Equal(0, counter.Introspections);
    }

    [Fact]
    public async Task Two_authorization_headers_are_401_invalid_request()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());
        var (token, _, _) = await _server.UserTokensAsync("read");

        var response = await api.GetAsync("/read", "Bearer " + token, "Bearer " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_request", Challenge.Parameter(response, "error"));
    }

    [Fact]
    public async Task Huge_authorization_header_is_401_invalid_request_without_asking_the_server()
    {
        var counter = new IntrospectionCounter();
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o => o.BackchannelHttpHandler = counter);

        var response = await api.GetAsync("/read", "Bearer " + new string('a', 16 * 1024));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_request", Challenge.Parameter(response, "error"));
        Assert.Equal(0, counter.Introspections);
    }

    [Fact]
    public async Task A_bad_token_does_not_block_an_endpoint_that_needs_none()
    {
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync());

        var response = await api.GetWithTokenAsync("/open", "not-a-token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// The attack on availability, and on trust: with the server gone a valid token must neither pass unchecked nor be
    /// called invalid (a client would throw it away and make the person sign in again): 503, and one log line.
    /// </summary>
    [Fact]
    public async Task Server_down_is_503_not_401_logged_once_and_no_token_is_accepted()
    {
        var server = await OAuthTestServer.StartAsync();
        var apiClient = await server.ApiClientAsync();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => server.ServiceTokenAsync("read")));
        await using var api = await ApiHost.StartAsync(server, apiClient);
        await server.DisposeAsync();

        var responses = new List<HttpResponseMessage>();
        foreach (var (token, _) in tokens)
        {
            responses.Add(await api.GetWithTokenAsync("/read", token));
        }

        Assert.All(responses, response =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.RetryAfter?.ToString());
            Assert.Empty(response.Headers.WwwAuthenticate);
        });
        var outage = Assert.Single(api.Log.Entries, e => e.EventId.Name == "IntrospectionUnavailable");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, outage.Level);
        Assert.All(api.Log.Entries, e => Assert.DoesNotContain(tokens[0].AccessToken, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_outage_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        var counter = new IntrospectionCounter();
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o =>
        {
            o.BackchannelHttpHandler = counter;
            o.CacheDuration = TimeSpan.Zero;
        });
        var (token, _) = await _server.ServiceTokenAsync("read");

        foreach (var down in new[] { false, true, true, false, false, true, true, false })
        {
            counter.Down = down;
            var response = await api.GetWithTokenAsync("/read", token);
            Assert.Equal(down ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, api.Log.Entries.Count(e => e.EventId.Name == "IntrospectionUnavailable"));
        Assert.Equal(2, api.Log.Entries.Count(e => e.EventId.Name == "IntrospectionAvailable"));
    }

    [Fact]
    public async Task Api_credentials_the_server_refuses_are_503_and_no_token_is_accepted()
    {
        var apiClient = await _server.ApiClientAsync();
        await using var api = await ApiHost.StartAsync(_server, apiClient with { Secret = "not-the-secret" });
        var (token, _, _) = await _server.UserTokensAsync("read");

        var response = await api.GetWithTokenAsync("/read", token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var outage = Assert.Single(api.Log.Entries, e => e.EventId.Name == "IntrospectionUnavailable");
        Assert.Contains("HTTP 401", outage.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", outage.Message, StringComparison.Ordinal);
    }

    /// <summary>RFC 8414 §3.3: metadata naming another issuer is not this server's; the API's credentials stay home.</summary>
    [Fact]
    public async Task Metadata_naming_another_issuer_is_refused()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:Issuer", "https://login.example.com"));
        var counter = new IntrospectionCounter();
        await using var api = await ApiHost.StartAsync(server, await server.ApiClientAsync(), o => o.BackchannelHttpHandler = counter);
        var (token, _) = await server.ServiceTokenAsync("read");

        var response = await api.GetWithTokenAsync("/read", token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, counter.Introspections);
        Assert.Contains("another issuer", Assert.Single(api.Log.Entries, e => e.EventId.Name == "IntrospectionUnavailable").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_credentials_stop_the_api_at_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.StartAsync(_server, new TestClient("api", null, "https://unused.example")));

        Assert.Contains("ClientId and ClientSecret", error.Message, StringComparison.Ordinal);
    }
}
