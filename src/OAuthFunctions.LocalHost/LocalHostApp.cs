using Azure.Core;
using Microsoft.Extensions.Configuration.Memory;
using OAuthFunctions.Functions;
using OAuthFunctions.Hosting;
using OAuthFunctions.Storage;

namespace OAuthFunctions.LocalHost;

/// <summary>
/// Builds the local host: the same composition root and function classes as the Functions app, on Kestrel. Routes
/// come from the functions' <c>[HttpTrigger]</c> attributes; the timer runs on its schedule. Configuration is read as
/// <c>func start</c> reads it: <c>local.settings.json</c> "Values" first, then environment variables, then the command line.
/// </summary>
public static class LocalHostApp
{
    /// <summary>
    /// Kestrel's own body limit: well above the functions' 64 KiB, so that they answer with their 413 and the client
    /// reads it, well below Kestrel's 30 MB default.
    /// </summary>
    private const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication Build(string[] args, LocalHostOptions? hostOptions = null)
    {
        hostOptions ??= new LocalHostOptions();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        StartupTrace.Mark("builder");

        // local.settings.json has the lowest precedence, as with func start; tests leave it out.
        if (hostOptions.LoadLocalSettings)
        {
            var values = LocalSettings.Read(Path.Combine(AppContext.BaseDirectory, "local.settings.json"));
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
        }

        // The functions refuse a body over 64 KiB and a query over 8 KiB with their own 413 and 414 (RequestLimits).
        // Kestrel's request line must be longer than that query so that the answer is the server's JSON or page, not
        // Kestrel's empty 414; its body limit bounds what it reads, or drains, of a body nobody asked for.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });

        // Per-request routing logs drown what the server itself says; warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Data Protection warns "No XML encryptor configured" when it creates a key. Here the key ring is in the
        // development storage on this machine, where any key that encrypted it would have to sit too, so the warning
        // says nothing; its errors still show. (This category's other warnings concern the default file-system key
        // repository, which the server never uses.) In production the ring is in the Keys table, readable only by
        // the app's managed identity, and ProtectKeysWithAzureKeyVault encrypts it (docs/ARCHITECTURE.md).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);

        var startup = new StartupLogGate();
        if (hostOptions.CallerReportsStartupFailure)
        {
            builder.Logging.AddFilter(StartupLogGate.HostCategory, startup.Allows);
        }

        if (hostOptions.Settings is { } settings)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (hostOptions.TimeProvider is { } time)
        {
            builder.Services.AddSingleton(time);
        }

        var configureStorageClient = hostOptions.ConfigureStorageClient;
        if (StartupTrace.Enabled)
        {
            configureStorageClient = client =>
            {
                hostOptions.ConfigureStorageClient?.Invoke(client);
                client.AddPolicy(new StartupTracePolicy(), HttpPipelinePosition.PerRetry);
            };
        }

        builder.Services.AddOAuthServer(builder.Configuration, configureStorageClient);
        hostOptions.ConfigureServices?.Invoke(builder.Services);
        var functions = typeof(MetadataFunction).Assembly;
        if (hostOptions.RunTimers)
        {
            builder.Services.AddHostedService(provider => ActivatorUtilities.CreateInstance<TimerService>(provider, functions));
        }

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(startup.Open);
        StartupTrace.Mark("built");
        if (StartupTrace.Enabled)
        {
            var first = 0;
            app.Use(async (context, next) =>
            {
                var isFirst = Interlocked.Exchange(ref first, 1) == 0;
                if (isFirst)
                {
                    StartupTrace.Mark("first-request");
                }

                await next(context);
                if (isFirst)
                {
                    StartupTrace.Mark("first-response");
                }
            });
        }

        // What no function answers (404, 405) carries the no-store headers too (docs/BEHAVIOUR.md §1: every response).
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Pragma = "no-cache";
                return Task.CompletedTask;
            });
            return next(context);
        });

        foreach (var function in FunctionCatalog.HttpFunctions(functions))
        {
            FunctionInvoker.EnsureBindable(function.Method);
            app.MapMethods("/" + function.Route, function.Methods, context => FunctionInvoker.InvokeHttpAsync(function, context))
                .WithDisplayName(function.Name);
        }

        StartupTrace.Mark("mapped");
        return app;
    }

    /// <summary>Creates the tables if they are missing (development storage only; production tables come from Bicep).</summary>
    public static Task<IReadOnlyList<string>> EnsureTablesAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<OAuthTables>().CreateAsync(cancellationToken);
}
