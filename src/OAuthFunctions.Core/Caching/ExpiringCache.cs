using System.Collections.Concurrent;

namespace OAuthFunctions.Core.Caching;

/// <summary>
/// A small per-instance cache whose entries expire after a fixed lifetime (zero turns it off). Bounded: when full
/// it starts over, which only costs the reads it saved.
/// </summary>
public sealed class ExpiringCache<TValue>(TimeSpan lifetime, TimeProvider time, int maxEntries = 10_000)
{
    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = (value, time.GetUtcNow() + lifetime);
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    public void Clear() => _entries.Clear();
}
