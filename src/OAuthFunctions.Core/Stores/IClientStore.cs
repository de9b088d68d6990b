using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Core.Stores;

/// <summary>Registered clients.</summary>
public interface IClientStore
{
    /// <summary>One point read.</summary>
    Task<Client?> FindAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether some client allows the web origin (serialized, <see cref="AllowedOrigins"/>): one point read of the
    /// origin index, which <see cref="AddAsync"/>, <see cref="UpdateAsync"/> and <see cref="RemoveAsync"/> keep.
    /// </summary>
    Task<bool> IsOriginAllowedAsync(string origin, CancellationToken cancellationToken);

    /// <summary>Adds a client; false if the id is taken.</summary>
    Task<bool> AddAsync(Client client, CancellationToken cancellationToken);

    /// <summary>Every client (an administrative scan, never on a request path).</summary>
    Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a client's registration (an administrator's change); false if there is no such client.</summary>
    Task<bool> UpdateAsync(Client client, CancellationToken cancellationToken);

    /// <summary>Replaces a client's secret hash; false if there is no such client.</summary>
    Task<bool> SetSecretHashAsync(string clientId, string secretHash, CancellationToken cancellationToken);

    /// <summary>Removes a client; false if there was none.</summary>
    Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken);
}
