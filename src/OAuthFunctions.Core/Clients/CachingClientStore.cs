using System.Collections.Concurrent;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Clients;

/// <summary>
/// Keeps clients read from storage for <see cref="OAuthOptions.ClientCacheLifetime"/> in this instance, so a warm
/// instance authenticates a client without a storage read. Changes made elsewhere (the CLI, another instance)
/// are seen once the entry ages out; changes through this store are seen at once.
/// </summary>
public sealed class CachingClientStore(IClientStore inner, OAuthOptions options, TimeProvider time) : IClientStore
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (Client Client, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async Task<Client?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(clientId, out var entry) && entry.Until > now)
        {
            return entry.Client;
        }

        var client = await inner.FindAsync(clientId, cancellationToken);
        if (client is null || options.ClientCacheLifetime <= TimeSpan.Zero)
        {
            _entries.TryRemove(clientId, out _);
            return client;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[clientId] = (client, now + options.ClientCacheLifetime);
        return client;
    }

    public Task<bool> AddAsync(Client client, CancellationToken cancellationToken) => inner.AddAsync(client, cancellationToken);

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> SetSecretHashAsync(string clientId, string secretHash, CancellationToken cancellationToken)
    {
        _entries.TryRemove(clientId, out _);
        return inner.SetSecretHashAsync(clientId, secretHash, cancellationToken);
    }

    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken)
    {
        _entries.TryRemove(clientId, out _);
        return inner.RemoveAsync(clientId, cancellationToken);
    }
}
