using OAuthFunctions.Hosting;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Storage;

// The local host: `dotnet run --project src/OAuthFunctions.LocalHost -- --urls http://127.0.0.1:7071`.
// With the default development storage it starts Azurite itself (data in .azurite/ at the repository root); on an
// emulator it creates the tables, so a fresh clone needs nothing else. A failure to start (a bad setting, a busy
// port, unreachable storage) is one line on stderr and exit code 1; --verbose adds the stack trace.
const int DevelopmentTablePort = 10002;
StartupTrace.Mark("main");
var verbose = StartupFailure.Verbose(args, Settings(args));
args = [.. args.Where(a => a != StartupFailure.VerboseSwitch)];
AzuriteProcess? azurite = null;
try
{
    // Settings are read and checked first: a bad one stops everything before a process is started.
    await using var app = LocalHostApp.Build(args, new LocalHostOptions { CallerReportsStartupFailure = !verbose });
    var storage = app.Configuration[StorageConnection.SettingName];
    if (IsDevelopmentStorage(storage) && !AzuriteProcess.IsListening(DevelopmentTablePort))
    {
        azurite = await StartEmbeddedAzuriteAsync();
    }

    if (IsDevelopmentStorage(storage) || IsEmulator(storage))
    {
        await EnsureTablesAsync(app.Services);
    }

    await app.StartAsync();
    StartupTrace.Mark("listening");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    return StartupFailure.Report(ex, verbose, Console.Error);
}
finally
{
    if (azurite is not null)
    {
        await azurite.DisposeAsync();
    }
}

// As the host reads them (local.settings.json, the environment, the command line), before the host exists.
static IConfiguration Settings(string[] args) => new ConfigurationBuilder()
    .AddInMemoryCollection(LocalSettings.Read(Path.Combine(AppContext.BaseDirectory, "local.settings.json")))
    .AddEnvironmentVariables()
    .AddCommandLine([.. args.Where(a => a != StartupFailure.VerboseSwitch)])
    .Build();

static bool IsDevelopmentStorage(string? connection) =>
    Compact(connection).Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);

// Azurite under its well-known account, e.g. the tests' or a script's own instance on other ports.
static bool IsEmulator(string? connection) =>
    Compact(connection).Contains("AccountName=devstoreaccount1", StringComparison.OrdinalIgnoreCase);

static string Compact(string? connection) => connection?.Replace(" ", string.Empty, StringComparison.Ordinal) ?? string.Empty;

static async Task EnsureTablesAsync(IServiceProvider services)
{
    try
    {
        await LocalHostApp.EnsureTablesAsync(services, CancellationToken.None);
    }
    catch (OAuthFunctions.Core.Stores.StorageUnavailableException ex)
    {
        var endpoint = services.GetRequiredService<OAuthTables>().Clients.Uri.GetLeftPart(UriPartial.Authority);
        throw new StartupException($"storage at {endpoint} is unreachable, so the tables could not be created: start the storage emulator there, or set OAuthStorage to a running emulator or account.", ex);
    }
}

static async Task<AzuriteProcess> StartEmbeddedAzuriteAsync()
{
    var root = AzuriteProcess.FindRepositoryRoot(Directory.GetCurrentDirectory())
        ?? AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new StartupException("Azurite, the local storage emulator, is installed in the repository: run the local host from there, or set OAuthStorage to a running storage emulator or account.");
    Console.WriteLine($"Starting Azurite (Table service) on 127.0.0.1:{DevelopmentTablePort}, data in .azurite/ ...");
    return await AzuriteProcess.StartAsync(root, DevelopmentTablePort, accountKey: null, Path.Combine(root, ".azurite"), CancellationToken.None);
}
