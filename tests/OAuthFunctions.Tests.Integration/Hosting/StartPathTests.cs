using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OAuthFunctions.Hosting;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// docs/PERFORMANCE.md, "Cold start": starting an instance talks to no storage. Production tables come from Bicep or
/// <c>oauthctl init</c>, and the Data Protection key ring is read when a page first needs it, not when the host starts.
/// </summary>
public sealed class StartPathTests
{
    [Fact]
    public void The_server_registers_no_hosted_service()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OAuthStorage"] = "UseDevelopmentStorage=true" }).Build();

        var services = new ServiceCollection().AddOAuthServer(configuration);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public async Task Starting_the_server_sends_no_storage_request()
    {
        await using var server = await OAuthTestServer.StartAsync();

        // Anything a hosted service started in the background would have sent its first request by now.
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        // Only the test harness's own table creation (POST /Tables), before the server started.
        Assert.All(server.Counter.Requests, request => Assert.Matches("^POST [^/]+/Tables$", request));
    }
}
