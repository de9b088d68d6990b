using OAuthFunctions.Core.Caching;
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
    private readonly ExpiringCache<Client> _cache = new(options.ClientCacheLifetime, time);

    public async Task<Client?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(clientId, out var cached))
        {
            return cached;
        }

        var client = await inner.FindAsync(clientId, cancellationToken);
        if (client is not null)
        {
            _cache.Set(clientId, client);
        }

        return client;
    }

    public Task<bool> AddAsync(Client client, CancellationToken cancellationToken) => inner.AddAsync(client, cancellationToken);

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> UpdateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        _cache.Remove(client.ClientId);
        return inner.UpdateAsync(client, cancellationToken);
    }

    public Task<bool> SetSecretHashAsync(string clientId, string secretHash, CancellationToken cancellationToken)
    {
        _cache.Remove(clientId);
        return inner.SetSecretHashAsync(clientId, secretHash, cancellationToken);
    }

    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken)
    {
        _cache.Remove(clientId);
        return inner.RemoveAsync(clientId, cancellationToken);
    }
}
