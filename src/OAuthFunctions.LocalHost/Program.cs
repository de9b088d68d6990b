using OAuthFunctions.Hosting;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Storage;

// The local host: `dotnet run --project src/OAuthFunctions.LocalHost -- --urls http://127.0.0.1:7071`.
// With the default development storage it starts Azurite itself (data in .azurite/ at the repository root) and
// creates the tables, so a fresh clone needs nothing else.
StartupTrace.Mark("main");
const int DevelopmentTablePort = 10002;
await using var azurite = await StartEmbeddedAzuriteAsync(args);
var app = LocalHostApp.Build(args);
if (IsDevelopmentStorage(app.Configuration[StorageConnection.SettingName]))
{
    await LocalHostApp.EnsureTablesAsync(app.Services, CancellationToken.None);
}

await app.StartAsync();
StartupTrace.Mark("listening");
await app.WaitForShutdownAsync();

static bool IsDevelopmentStorage(string? connection) =>
    connection?.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) == true;

static async Task<AzuriteProcess?> StartEmbeddedAzuriteAsync(string[] args)
{
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(LocalSettings.Read(Path.Combine(AppContext.BaseDirectory, "local.settings.json")))
        .AddEnvironmentVariables()
        .AddCommandLine(args)
        .Build();
    if (!IsDevelopmentStorage(configuration[StorageConnection.SettingName]) || AzuriteProcess.IsListening(DevelopmentTablePort))
    {
        return null;
    }

    var root = AzuriteProcess.FindRepositoryRoot(Directory.GetCurrentDirectory())
        ?? AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Run the local host from the repository (Azurite is installed there), or set OAuthStorage to a running storage emulator or account.");
    Console.WriteLine($"Starting Azurite (Table service) on 127.0.0.1:{DevelopmentTablePort}, data in .azurite/ ...");
    return await AzuriteProcess.StartAsync(root, DevelopmentTablePort, accountKey: null, Path.Combine(root, ".azurite"), CancellationToken.None);
}
