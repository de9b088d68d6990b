using System.Collections.Concurrent;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Per-address brute-force throttling, in this instance's memory: after <see cref="MaxFailures"/> failed sign-ins
/// from one address within <see cref="Window"/>, that address is refused until the window ends. Per-user lockout
/// lives on the user's row instead (see <see cref="ResourceOwnerAuthenticator"/>), so it holds across instances.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Counter> _failures = new(StringComparer.Ordinal);

    public bool IsBlocked(string? address)
    {
        if (address is null || !_failures.TryGetValue(address, out var counter))
        {
            return false;
        }

        return counter.Count >= MaxFailures && counter.WindowStart + Window > time.GetUtcNow();
    }

    public void RecordFailure(string? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_failures.Count >= MaxTracked)
        {
            foreach (var stale in _failures.Where(f => f.Value.WindowStart + Window <= now).Select(f => f.Key).ToList())
            {
                _failures.TryRemove(stale, out _);
            }
        }

        _failures.AddOrUpdate(
            address,
            _ => new Counter(1, now),
            (_, c) => c.WindowStart + Window <= now ? new Counter(1, now) : c with { Count = c.Count + 1 });
    }

    private sealed record Counter(int Count, DateTimeOffset WindowStart);
}
