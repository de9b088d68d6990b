using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>One server with default settings per test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public OAuthTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
