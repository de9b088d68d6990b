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

    /// <summary>Whether an origin is allowed, both answers kept: a preflight costs a read once per origin and lifetime.</summary>
    private readonly ExpiringCache<bool> _origins = new(options.ClientCacheLifetime, time);

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

    public async Task<bool> IsOriginAllowedAsync(string origin, CancellationToken cancellationToken)
    {
        if (_origins.TryGet(origin, out var cached))
        {
            return cached;
        }

        var allowed = await inner.IsOriginAllowedAsync(origin, cancellationToken);
        _origins.Set(origin, allowed);
        return allowed;
    }

    public Task<bool> AddAsync(Client client, CancellationToken cancellationToken)
    {
        _origins.Clear();
        return inner.AddAsync(client, cancellationToken);
    }

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> UpdateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        _cache.Remove(client.ClientId);
        _origins.Clear();
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
        _origins.Clear();
        return inner.RemoveAsync(clientId, cancellationToken);
    }
}
