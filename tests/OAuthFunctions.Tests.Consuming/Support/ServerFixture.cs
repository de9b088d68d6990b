using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>One local host (Azurite-backed, its own tables) per test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public OAuthTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
