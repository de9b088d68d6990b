namespace OAuthFunctions.Core.Signing;

/// <summary>
/// An immutable snapshot of the keys in force, ordered by when they start signing. Which key signs, and which are
/// published, follows from the clock alone: a key created ahead of its activation is already here, so an instance
/// switches to it on time without reading storage.
/// </summary>
public sealed class SigningKeySet
{
    private readonly IReadOnlyList<SigningKey> _keys;

    public SigningKeySet(IReadOnlyList<SigningKey> keys, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys.OrderBy(k => k.ActivatesAt).ThenBy(k => k.CreatedAt)];
        LoadedAt = loadedAt;
    }

    public DateTimeOffset LoadedAt { get; }

    public IReadOnlyList<SigningKey> All => _keys;

    /// <summary>The key that signs at <paramref name="now"/>: the latest one already active (the oldest if none is yet).</summary>
    public SigningKey? SigningAt(DateTimeOffset now) =>
        _keys.LastOrDefault(k => k.ActivatesAt <= now) ?? (_keys.Count > 0 ? _keys[0] : null);

    /// <summary>What the JWKS publishes at <paramref name="now"/>: every key until what it signed has expired.</summary>
    public IReadOnlyList<SigningKey> PublishedAt(DateTimeOffset now) => [.. _keys.Where(k => k.IsPublishedAt(now))];

    /// <summary>A published key by <c>kid</c>, for verifying a token this server signed.</summary>
    public SigningKey? Find(string kid, DateTimeOffset now) =>
        _keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal) && k.IsPublishedAt(now));
}
