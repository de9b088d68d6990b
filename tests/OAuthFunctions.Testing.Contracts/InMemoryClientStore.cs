using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>A dictionary of clients: enough for parsing and validation rules, which are not storage behaviour.</summary>
public sealed class InMemoryClientStore : IClientStore
{
    private readonly Dictionary<string, Client> _clients = new(StringComparer.Ordinal);

    public InMemoryClientStore(params Client[] clients)
    {
        foreach (var client in clients)
        {
            _clients.Add(client.ClientId, client);
        }
    }

    public Task<Client?> FindAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.GetValueOrDefault(clientId));

    public Task<bool> IsOriginAllowedAsync(string origin, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.Values.Any(client => AllowedOrigins.Allows(client, origin)));

    public Task<bool> AddAsync(Client client, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.TryAdd(client.ClientId, client));

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Client>>([.. _clients.Values]);

    public Task<bool> UpdateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!_clients.ContainsKey(client.ClientId))
        {
            return Task.FromResult(false);
        }

        _clients[client.ClientId] = client;
        return Task.FromResult(true);
    }

    public Task<bool> SetSecretHashAsync(string clientId, string secretHash, CancellationToken cancellationToken)
    {
        if (!_clients.TryGetValue(clientId, out var client))
        {
            return Task.FromResult(false);
        }

        _clients[clientId] = client with { SecretHash = secretHash };
        return Task.FromResult(true);
    }

    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.Remove(clientId));
}
