using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>One server with a fake clock per test class (for expiry rules).</summary>
public sealed class FakeTimeServerFixture : IAsyncLifetime
{
    public OAuthTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await OAuthTestServer.StartAsync(o =>
    {
        o.FakeTime = true;
        o.With("OAuth:RefreshTokenLifetime", "30.00:00:00");
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
