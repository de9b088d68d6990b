using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Per-address brute-force throttling of sign-in: guesses counted before they are checked.</summary>
public sealed class LoginThrottleTests
{
    private const string Address = "203.0.113.7";

    private readonly FakeTimeProvider _time = new();
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests() => _throttle = new LoginThrottle(_time);

    [Fact]
    public void Address_is_blocked_after_max_failures_within_the_window()
    {
        Fail(Address, LoginThrottle.MaxFailures);

        Assert.True(_throttle.IsBlocked(Address));
    }

    [Fact]
    public void Address_is_not_blocked_one_failure_short_of_the_limit()
    {
        Fail(Address, LoginThrottle.MaxFailures - 1);

        Assert.False(_throttle.IsBlocked(Address));
    }

    [Fact]
    public void Unknown_address_is_not_blocked() => Assert.False(_throttle.IsBlocked(Address));

    [Fact]
    public void Another_address_is_not_blocked()
    {
        Fail(Address, LoginThrottle.MaxFailures);

        Assert.False(_throttle.IsBlocked("198.51.100.1"));
    }

    [Fact]
    public void Address_is_unblocked_once_the_window_has_passed()
    {
        Fail(Address, LoginThrottle.MaxFailures);

        _time.Advance(LoginThrottle.Window);

        Assert.False(_throttle.IsBlocked(Address));
    }

    [Fact]
    public void Address_stays_blocked_until_the_window_ends()
    {
        Fail(Address, LoginThrottle.MaxFailures);

        _time.Advance(LoginThrottle.Window - TimeSpan.FromSeconds(1));

        Assert.True(_throttle.IsBlocked(Address));
    }

    [Fact]
    public void Failures_in_an_earlier_window_do_not_count()
    {
        Fail(Address, LoginThrottle.MaxFailures - 1);
        _time.Advance(LoginThrottle.Window);

        Fail(Address, 1);

        Assert.False(_throttle.IsBlocked(Address));
    }

    [Fact]
    public void Null_address_is_never_blocked()
    {
        Fail(null, LoginThrottle.MaxFailures * 2);

        Assert.False(_throttle.IsBlocked(null));
    }

    [Fact]
    public void A_reservation_beyond_the_budget_is_refused()
    {
        Fail(Address, LoginThrottle.MaxFailures);

        Assert.False(_throttle.TryReserve(Address));
    }

    [Fact]
    public void A_released_reservation_gives_the_guess_back()
    {
        Fail(Address, LoginThrottle.MaxFailures - 1);
        Assert.True(_throttle.TryReserve(Address));

        _throttle.Release(Address);

        Assert.False(_throttle.IsBlocked(Address));
        Assert.True(_throttle.TryReserve(Address));
    }

    [Fact]
    public void Simultaneous_reservations_never_exceed_the_budget()
    {
        var granted = 0;
        Parallel.For(0, 500, _ =>
        {
            if (_throttle.TryReserve(Address))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(LoginThrottle.MaxFailures, granted);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::2")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    public void IPv6_addresses_of_one_64_prefix_share_a_budget(string first, string second)
    {
        Fail(first, LoginThrottle.MaxFailures);

        Assert.True(_throttle.IsBlocked(second));
    }

    [Fact]
    public void IPv6_addresses_of_another_64_prefix_do_not_share_a_budget()
    {
        Fail("2001:db8:1:2::1", LoginThrottle.MaxFailures);

        Assert.False(_throttle.IsBlocked("2001:db8:1:3::1"));
    }

    [Fact]
    public void An_IPv4_mapped_IPv6_address_counts_as_the_IPv4_address()
    {
        Fail("::ffff:203.0.113.7", LoginThrottle.MaxFailures);

        Assert.True(_throttle.IsBlocked(Address));
    }

    private void Fail(string? address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _throttle.TryReserve(address);
        }
    }
}
