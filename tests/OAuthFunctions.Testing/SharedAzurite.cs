using System.Security.Cryptography;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Testing;

/// <summary>
/// One Azurite Table service per test process, on a free port, in memory, with an account key made up for this
/// run. Started on first use and stopped when the process exits; nothing assumes a server is already running.
/// </summary>
public static class SharedAzurite
{
    private static readonly Lazy<Task<Instance>> Started = new(StartAsync);

    /// <summary>The connection string of the shared Azurite, starting it if needed.</summary>
    public static async Task<string> ConnectionStringAsync() => (await Started.Value).ConnectionString;

    public static async Task<Uri> EndpointAsync() => (await Started.Value).Process.TableEndpoint;

    private static async Task<Instance> StartAsync()
    {
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Tests must run from inside the repository (OAuthFunctions.sln not found).");
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var process = await AzuriteProcess.StartAsync(root, AzuriteProcess.FreePort(), key, dataDirectory: null, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => process.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};TableEndpoint={process.TableEndpoint};";
        return new Instance(process, connection);
    }

    private sealed record Instance(AzuriteProcess Process, string ConnectionString);
}
