using System.Globalization;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>The signing key ring in memory, with the Table store's contract: writes are conditional on the version read.</summary>
public sealed class InMemorySigningKeyStore : ISigningKeyStore
{
    private readonly Lock _gate = new();
    private IReadOnlyList<StoredSigningKey>? _keys;
    private long _version;

    /// <summary>How many writes succeeded.</summary>
    public int Writes { get; private set; }

    public Task<StoredSigningKeyRing?> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_keys is null ? null : new StoredSigningKeyRing(_keys, _version.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public Task<bool> TryWriteAsync(IReadOnlyList<StoredSigningKey> keys, string? version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _keys is null ? null : _version.ToString(CultureInfo.InvariantCulture);
            if (current != version)
            {
                return Task.FromResult(false);
            }

            _keys = [.. keys];
            _version++;
            Writes++;
            return Task.FromResult(true);
        }
    }
}
