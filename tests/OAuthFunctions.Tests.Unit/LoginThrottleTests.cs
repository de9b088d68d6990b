using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Per-address brute-force throttling of the login page (SPEC §5.6).</summary>
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

    private void Fail(string? address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _throttle.RecordFailure(address);
        }
    }
}
