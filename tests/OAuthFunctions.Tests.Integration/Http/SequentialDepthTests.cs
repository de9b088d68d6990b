using System.Diagnostics;
using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// How many storage round trips each operation waits for one after another (docs/PERFORMANCE.md, "Sequential depth"):
/// on Azure each costs a network round trip, so this, not the request count, sets an endpoint's latency. Every storage
/// request is held for <see cref="Delay"/>, and the depth is the longest chain of requests that did not overlap
/// (<see cref="StorageDepthMeter"/>); requests sent together overlap for the whole delay, so the count does not depend on
/// the machine's load. The latency must be at least depth × delay, and latency ÷ delay is written to the test output.
/// "Warm": the instance has the client (and the user) in its cache, as every request but the first per minute finds
/// it; "cold": the cache is off, as on a new instance.
/// </summary>
public sealed class SequentialDepthTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(40);

    private OAuthTestServer _warm = null!;
    private OAuthTestServer _cold = null!;

    public async Task InitializeAsync()
    {
        _warm = await OAuthTestServer.StartAsync(o => o.StorageDelay = Delay);
        _cold = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00").StorageDelay = Delay);
    }

    public async Task DisposeAsync()
    {
        await _warm.DisposeAsync();
        await _cold.DisposeAsync();
    }

    /// <summary>The insert: with the client cached there is nothing to wait for first.</summary>
    [Fact]
    public async Task Client_credentials_waits_for_one_round_trip_on_a_warm_instance()
    {
        var client = await _warm.AddClientAsync();
        using var http = _warm.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));

        Assert.Equal(1, await DepthAsync(_warm, "client_credentials, warm", () => http.TokenAsync(client, ("grant_type", "client_credentials"))));
    }

    /// <summary>The client read, then the insert: nothing is written for a client that has not authenticated.</summary>
    [Fact]
    public async Task Client_credentials_waits_for_two_round_trips_when_the_client_is_not_cached()
    {
        var client = await _cold.AddClientAsync();
        using var http = _cold.CreateClient();

        Assert.Equal(2, await DepthAsync(_cold, "client_credentials, cold", () => http.TokenAsync(client, ("grant_type", "client_credentials"))));
    }

    /// <summary>The token read; without the cache the client read runs alongside it.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Introspection_waits_for_one_round_trip(bool warm)
    {
        var server = warm ? _warm : _cold;
        var client = await server.AddClientAsync();
        using var http = server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));

        Assert.Equal(1, await DepthAsync(server, $"introspect, {Name(warm)}", () => http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token.Str("access_token")))));
    }

    /// <summary>The token read (alongside the client read), then its delete.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Revoking_an_access_token_waits_for_two_round_trips(bool warm)
    {
        var server = warm ? _warm : _cold;
        var client = await server.AddClientAsync();
        using var http = server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));

        Assert.Equal(2, await DepthAsync(server, $"revoke access token, {Name(warm)}", () => http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", token.Str("access_token")))));
    }

    /// <summary>
    /// The family read (alongside the client read), the live access token's delete, then the family's conditional delete:
    /// the row is the only pointer to that access token, so it must outlive the delete (docs/ARCHITECTURE.md, "Refresh
    /// token families"), and three is the floor.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Revoking_a_refresh_token_waits_for_three_round_trips(bool warm)
    {
        var server = warm ? _warm : _cold;
        var (client, tokens) = await server.PasswordTokensAsync();
        using var http = server.CreateClient();

        Assert.Equal(3, await DepthAsync(server, $"revoke refresh token, {Name(warm)}", () => http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("refresh_token")))));
    }

    /// <summary>The code read (alongside the client read), the access token and family inserts together, the commit.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Code_exchange_waits_for_three_round_trips(bool warm)
    {
        var server = warm ? _warm : _cold;
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("depth-code-" + Guid.NewGuid().ToString("N")[..8], ServerExtensions.Password);
        var code = await server.IssueCodeAsync(client, user);
        using var http = server.CreateClient();
        if (warm)
        {
            await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        }

        Assert.Equal(3, await DepthAsync(server, $"authorization_code, {Name(warm)}", () => http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri))));
    }

    /// <summary>
    /// The family read (alongside the client read); the user check, the new access token's insert and the old one's delete
    /// together; the commit, which waits for the user check. Warm: a first refresh put the user's status in the cache.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refresh_waits_for_three_round_trips(bool warm)
    {
        var server = warm ? _warm : _cold;
        var (client, tokens) = await server.PasswordTokensAsync();
        using var http = server.CreateClient();
        var refreshToken = tokens.Str("refresh_token");
        if (warm)
        {
            refreshToken = (await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)))).Str("refresh_token");
        }

        Assert.Equal(3, await DepthAsync(server, $"refresh_token, {Name(warm)}", () => http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken))));
    }

    private static string Name(bool warm) => warm ? "warm" : "cold";

    private async Task<int> DepthAsync(OAuthTestServer server, string operation, Func<Task<HttpResponseMessage>> send)
    {
        server.Depth.Reset();
        var watch = Stopwatch.StartNew();
        var response = await send();
        var latency = watch.Elapsed;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {body}");

        var depth = server.Depth.Depth;
        output.WriteLine($"{operation}: depth {depth}, {server.Depth.Intervals.Count} requests; latency {latency.TotalMilliseconds:F0} ms = {latency / Delay:F2} × the delay");
        output.WriteLine(server.Depth.Describe());

        // A chain of d delayed requests cannot take less than d × the delay: the meter saw what the client waited for.
        Assert.True(latency >= depth * Delay, $"{operation}: {latency.TotalMilliseconds:F0} ms for depth {depth}");
        return depth;
    }
}
