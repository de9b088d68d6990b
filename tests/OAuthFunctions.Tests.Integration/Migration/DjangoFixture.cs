using OAuthFunctions.LocalHost;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Migration;

/// <summary>
/// The dump in tests/fixtures/django (made by its script with Django itself) and the two clients in it, as the import
/// tests and their review present them.
/// </summary>
internal static class DjangoFixture
{
    public const string WebClientId = "2f1e0c9a7b6d5e4f3a21";
    public const string WebSecret = "9b8a7c6d5e4f30211234567890abcdef01234567";
    public const string MobileClientId = "a1b2c3d4e5f60718293a";

    public static readonly string DumpPath = Path.Combine(
        AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("No repository root."),
        "tests", "fixtures", "django", "dump.json");

    /// <summary>The confidential web client, with its secret from the old server.</summary>
    public static TestClient Web => new(WebClientId, WebSecret, "https://billing.example/oauth/callback");

    /// <summary>The public mobile client.</summary>
    public static TestClient Mobile => new(MobileClientId, null, "http://mobile.example/callback");
}
