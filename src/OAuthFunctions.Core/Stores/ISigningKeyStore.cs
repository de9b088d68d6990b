using OAuthFunctions.Core.Signing;

namespace OAuthFunctions.Core.Stores;

/// <summary>
/// The signing key ring: one stored document holding every key still published, each private key protected by Data
/// Protection before it reaches the store. Changes are conditional on the version read, so two instances that decide
/// to rotate at the same moment cannot both add a key.
/// </summary>
public interface ISigningKeyStore
{
    /// <summary>One point read; null when no key was ever created.</summary>
    Task<StoredSigningKeyRing?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes the ring if it is unchanged since <paramref name="version"/> was read (null: only if there is none yet);
    /// false when another writer changed it first.
    /// </summary>
    Task<bool> TryWriteAsync(IReadOnlyList<StoredSigningKey> keys, string? version, CancellationToken cancellationToken);
}
