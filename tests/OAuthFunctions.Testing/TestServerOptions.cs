namespace OAuthFunctions.Testing;

/// <summary>How a test wants its server.</summary>
public sealed class TestServerOptions
{
    /// <summary>Settings as configuration keys, e.g. <c>OAuth:EnforceSecure</c> = "true".</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Use a fake clock (starting now) instead of the system clock.</summary>
    public bool FakeTime { get; set; }

    /// <summary>Share another server's tables (and so its Data Protection key ring): a second instance of one app.</summary>
    public string? TablePrefix { get; set; }

    /// <summary>Storage client retries (0 makes fault tests deterministic).</summary>
    public int StorageRetries { get; set; } = 3;

    /// <summary>
    /// Held before every storage request, as a distant account would (<see cref="StorageDepthMeter"/>): a depth test sets
    /// it large against the machine's noise; zero by default.
    /// </summary>
    public TimeSpan StorageDelay { get; set; }

    /// <summary>Replaces services after the server's own registrations (e.g. a Moq store that throws).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; set; }

    public TestServerOptions With(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }
}
