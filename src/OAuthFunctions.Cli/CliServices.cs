using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;
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
/// <param name="Provider">The services.</param>
/// <param name="DefaultedToDevelopmentStorage">No storage was named, so the local emulator is used.</param>
public sealed record CliServices(ServiceProvider Provider, bool DefaultedToDevelopmentStorage)
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>Reads and checks the settings; a bad one is an <see cref="OAuthConfigurationException"/> or a <see cref="CliException"/> naming it.</summary>
    public static CliServices Create(string? storage, IReadOnlyDictionary<string, string?>? environment, ILoggerProvider? log = null)
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
        var defaulted = false;
        if (!string.IsNullOrWhiteSpace(storage))
        {
            settings[StorageConnection.SettingName] = storage;
        }
        else if (string.IsNullOrWhiteSpace(configuration[StorageConnection.SettingName])
            && string.IsNullOrWhiteSpace(configuration[StorageConnection.SettingName + ":tableServiceUri"]))
        {
            settings[StorageConnection.SettingName] = DevelopmentStorage;
            defaulted = true;
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
                logging.AddJsonConsole(json => json.JsonWriterOptions = new() { Indented = false, Encoder = JsonEscaping.Encoder });
                logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton(options);
        services.AddSingleton(new ScopeRegistry(options.Scopes));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher<User>, MigratingPasswordHasher>();

        try
        {
            // An operator's command may wait longer than a request path does.
            services.AddOAuthTableStorage(effective, options, client => client.Retry.NetworkTimeout = TimeSpan.FromSeconds(60));
        }
        catch (OAuthConfigurationException ex) when (!string.IsNullOrWhiteSpace(storage))
        {
            // The value came from the command line: name the option, not the setting it stands in for.
            throw new CliException(
                "--storage is not a valid storage connection string (use UseDevelopmentStorage=true for Azurite, or the storage account's connection string).",
                ex);
        }

        // oauthctl keys: the same Data Protection key ring as the server, which encrypts the signing keys.
        services.AddDataProtection().SetApplicationName("OAuthFunctions");
        services.AddSingleton<SigningKeys>();
        return new CliServices(services.BuildServiceProvider(), defaulted);
    }
}
