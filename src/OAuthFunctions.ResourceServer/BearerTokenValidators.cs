using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// One <see cref="BearerTokenValidator"/> per options name (the authentication scheme), made on first use and kept for
/// the application's life: authentication handlers are created per request, the cache and the metadata must not be.
/// </summary>
internal sealed class BearerTokenValidators(IOptionsMonitor<OAuthFunctionsIntrospectionOptions> options, ILoggerFactory loggers, IServiceProvider services) : IDisposable
{
    /// <summary>The log category of the library's events (docs/CONSUMING.md).</summary>
    public const string LogCategory = "OAuthFunctions.ResourceServer";

    private readonly ConcurrentDictionary<string, Lazy<BearerTokenValidator>> _validators = new(StringComparer.Ordinal);

    public BearerTokenValidator Get(string name) =>
        _validators.GetOrAdd(name, key => new Lazy<BearerTokenValidator>(() =>
        {
            var settings = options.Get(key);
            var time = settings.TimeProvider ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
            return new BearerTokenValidator(settings, key, time, loggers.CreateLogger(LogCategory));
        })).Value;

    public void Dispose()
    {
        foreach (var validator in _validators.Values.Where(v => v.IsValueCreated))
        {
            validator.Value.Dispose();
        }
    }
}
