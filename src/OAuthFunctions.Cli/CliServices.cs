using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage;

namespace OAuthFunctions.Cli;

/// <summary>
/// The stores the commands use, over the same settings as the server: <c>OAuthStorage</c> (or <c>--storage</c>) and
/// <c>OAuth__*</c> from the environment. Without either storage setting, the local development storage is used.
/// </summary>
public static class CliServices
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static ServiceProvider Build(string? storage, IReadOnlyDictionary<string, string?>? environment, TextWriter? notes = null, ILoggerProvider? log = null)
    {
        var builder = new ConfigurationBuilder();
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value));
        }

        var configuration = builder.Build();
        var settings = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(storage))
        {
            settings[StorageConnection.SettingName] = storage;
        }
        else if (string.IsNullOrWhiteSpace(configuration[StorageConnection.SettingName])
            && string.IsNullOrWhiteSpace(configuration[StorageConnection.SettingName + ":tableServiceUri"]))
        {
            settings[StorageConnection.SettingName] = DevelopmentStorage;
            notes?.WriteLine("note: no --storage or OAuthStorage given; using the local emulator (UseDevelopmentStorage=true).");
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build();
        var options = OAuthOptionsLoader.Load(effective);
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            // Every change an operator makes is an audit event (docs/OPERATIONS.md): one JSON line each on stderr.
            logging.SetMinimumLevel(LogLevel.Warning).AddFilter(SecurityLog.Category, LogLevel.Information);
            if (log is not null)
            {
                logging.AddProvider(log);
            }
            else
            {
                logging.AddJsonConsole(json => json.JsonWriterOptions = new() { Indented = false });
                logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton(options);
        services.AddSingleton(new ScopeRegistry(options.Scopes));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();

        // An operator's command may wait longer than a request path does.
        services.AddOAuthTableStorage(effective, options, client => client.Retry.NetworkTimeout = TimeSpan.FromSeconds(60));

        // oauthctl keys: the same Data Protection key ring as the server, which encrypts the signing keys.
        services.AddDataProtection().SetApplicationName("OAuthFunctions");
        services.AddSingleton<SigningKeys>();
        return services.BuildServiceProvider();
    }
}
