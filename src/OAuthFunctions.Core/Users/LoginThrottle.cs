using System.Net;
using System.Net.Sockets;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Per-address brute-force throttling, in this instance's memory: at most <see cref="MaxFailures"/> failed sign-ins
/// from one address within <see cref="Window"/>. A guess is counted before its password is checked
/// (<see cref="TryReserve"/>) and handed back only when it succeeds (<see cref="Release"/>), so simultaneous guesses
/// cannot all slip past a count read before any of them failed. IPv6 addresses count per /64, the block one
/// subscriber usually holds. Per-user lockout lives on the user's row instead (<see cref="UserAccounts"/>), so it holds
/// across instances.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 100_000;

    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Counts a guess from <paramref name="address"/>; false (do not check the password) when its budget is spent.</summary>
    public bool TryReserve(string? address)
    {
        if (KeyOf(address) is not { } key)
        {
            return true;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_counters.TryGetValue(key, out var counter) || counter.WindowStart + Window <= now)
            {
                if (_counters.Count >= MaxTracked)
                {
                    foreach (var stale in _counters.Where(c => c.Value.WindowStart + Window <= now).Select(c => c.Key).ToList())
                    {
                        _counters.Remove(stale);
                    }
                }

                counter = new Counter { WindowStart = now };
                _counters[key] = counter;
            }

            if (counter.Count >= MaxFailures)
            {
                return false;
            }

            counter.Count++;
            return true;
        }
    }

    /// <summary>Hands back a reserved guess whose password was right.</summary>
    public void Release(string? address)
    {
        if (KeyOf(address) is not { } key)
        {
            return;
        }

        lock (_gate)
        {
            if (_counters.TryGetValue(key, out var counter) && counter.Count > 0)
            {
                counter.Count--;
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> has spent its budget (without counting anything).</summary>
    public bool IsBlocked(string? address)
    {
        if (KeyOf(address) is not { } key)
        {
            return false;
        }

        lock (_gate)
        {
            return _counters.TryGetValue(key, out var counter) && counter.Count >= MaxFailures && counter.WindowStart + Window > time.GetUtcNow();
        }
    }

    /// <summary>What an address is counted as: an IPv4 address as is, an IPv6 address by its /64 prefix.</summary>
    public static string? KeyOf(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        if (!IPAddress.TryParse(address, out var parsed))
        {
            return address;
        }

        if (parsed.IsIPv4MappedToIPv6)
        {
            parsed = parsed.MapToIPv4();
        }

        if (parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return parsed.ToString();
        }

        var bytes = parsed.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private sealed class Counter
    {
        public int Count { get; set; }

        public DateTimeOffset WindowStart { get; init; }
    }
}
