using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OAuthFunctions.ResourceServer;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Consuming.Support;

namespace OAuthFunctions.Tests.Consuming.ResourceServer;

/// <summary>
/// The library's positive cache against the local host (docs/BEHAVIOUR.md §13): how many introspection calls an API
/// makes, how long a revoked token keeps working, and that no answer outlives the token's <c>exp</c>.
/// </summary>
public sealed class IntrospectionCacheTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Concurrent_requests_with_one_token_make_one_introspection_call()
    {
        var counter = new IntrospectionCounter();
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o => o.BackchannelHttpHandler = counter);
        var (token, _, _) = await _server.UserTokensAsync("read");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.GetWithTokenAsync("/read", token)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(1, counter.Introspections);
    }

    [Fact]
    public async Task An_active_answer_is_reused_within_the_cache_window_and_asked_again_after()
    {
        var counter = new IntrospectionCounter();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o => o.BackchannelHttpHandler = counter, time);
        var (token, _, _) = await _server.UserTokensAsync("read");

        await api.GetWithTokenAsync("/read", token);
        await api.GetWithTokenAsync("/read", token);
        Assert.Equal(1, counter.Introspections);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.OK, (await api.GetWithTokenAsync("/read", token)).StatusCode);
        Assert.Equal(2, counter.Introspections);
    }

    /// <summary>
    /// The attack: a token revoked at the server (stolen, signed out) keeps opening the API. It does so for at most the
    /// configured cache window, then never again.
    /// </summary>
    [Fact]
    public async Task Revoked_token_is_refused_once_the_cache_window_has_passed()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o => o.CacheDuration = TimeSpan.FromSeconds(30), time);
        var owner = await _server.AddClientAsync();
        var token = await ClientCredentialsAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await api.GetWithTokenAsync("/read", token)).StatusCode);

        await _server.RevokeAsync(owner, token);
        var withinWindow = await api.GetWithTokenAsync("/read", token);
        time.Advance(TimeSpan.FromSeconds(31));
        var afterWindow = await api.GetWithTokenAsync("/read", token);

        Assert.Equal(HttpStatusCode.OK, withinWindow.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterWindow.StatusCode);
        Assert.Equal("invalid_token", Challenge.Parameter(afterWindow, "error"));
    }

    /// <summary>The attack: an expired token served from a cache window longer than its remaining life.</summary>
    [Fact]
    public async Task A_cached_answer_is_never_used_past_the_tokens_exp()
    {
        await using var server = await OAuthTestServer.StartAsync(o =>
        {
            o.FakeTime = true;
            o.With("OAuth:AccessTokenLifetime", "00:01:00");
        });
        await using var api = await ApiHost.StartAsync(server, await server.ApiClientAsync(), o => o.CacheDuration = OAuthFunctionsIntrospectionOptions.MaxCacheDuration, server.FakeTime);
        var (token, _) = await server.ServiceTokenAsync("read");
        Assert.Equal(HttpStatusCode.OK, (await api.GetWithTokenAsync("/read", token)).StatusCode);

        server.FakeTime!.Advance(TimeSpan.FromSeconds(61));
        var expired = await api.GetWithTokenAsync("/read", token);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("invalid_token", Challenge.Parameter(expired, "error"));
    }

    /// <summary>The cost the cache saves: sequential requests with one token, with the default window and without one.</summary>
    [Theory]
    [InlineData(5, 1)]
    [InlineData(0, 10)]
    public async Task Ten_sequential_requests_make_one_call_with_the_default_window_and_ten_without(int cacheSeconds, int calls)
    {
        var counter = new IntrospectionCounter();
        await using var api = await ApiHost.StartAsync(_server, await _server.ApiClientAsync(), o =>
        {
            o.BackchannelHttpHandler = counter;
            o.CacheDuration = TimeSpan.FromSeconds(cacheSeconds);
        });
        var (token, _, _) = await _server.UserTokensAsync("read");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetWithTokenAsync("/read", token)).StatusCode);
        }

        Assert.Equal(calls, counter.Introspections);
    }

    private async Task<string> ClientCredentialsAsync(TestClient client)
    {
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/access_token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "read")]),
        };
        request.Headers.Authorization = OAuthTestServer.Basic(client.ClientId, client.Secret!);
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
