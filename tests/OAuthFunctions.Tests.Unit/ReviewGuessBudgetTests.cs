using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Review of the guess budget (issue 9): what a budget decided before the check costs honest users, whether a
/// sign-in can outlive a password change that commits while it is being checked, and the per-address keys.
/// </summary>
public sealed class ReviewGuessBudgetTests
{
    private const string Password = "correct horse battery";
    private const string NewPassword = "staple tortoise lantern";
    private const int Iterations = 1_000;

    /// <summary>
    /// Every sign-in reserves a guess before its password is checked. Five honest sign-ins in flight for one account
    /// (a service using the password grant from a few workers, or a user with several tabs) take every slot; a sixth
    /// waits for one of them to be decided instead of being refused, and nothing in flight ever locks the account.
    /// </summary>
    [Fact]
    public async Task Six_simultaneous_correct_sign_ins_of_one_account_all_succeed()
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users);
        using var gate = new GatedHasher(Iterations, holdFirst: ResourceOwnerAuthenticator.MaxFailures);
        var authenticator = Authenticator(users, gate, TimeProvider.System);

        // Five correct sign-ins reserve their guess and are held inside the password check.
        var inFlight = Enumerable.Range(0, ResourceOwnerAuthenticator.MaxFailures)
            .Select(i => Task.Run(() => authenticator.SignInAsync(user.Username, Password, "198.51.100." + i, CancellationToken.None)))
            .ToList();
        await gate.AllHeld.WaitAsync(TimeSpan.FromSeconds(10));

        var sixth = Task.Run(() => authenticator.SignInAsync(user.Username, Password, "198.51.100.99", CancellationToken.None));
        await Task.Delay(300);
        Assert.False(sixth.IsCompleted, "The sixth guess was decided while every slot was in flight.");
        Assert.Null((await users.FindAsync(user.Username, CancellationToken.None))!.LockedUntil);
        gate.Release();
        var first = await Task.WhenAll(inFlight);

        Assert.All(first, outcome => Assert.True(outcome.Succeeded));
        Assert.True((await sixth).Succeeded, "A correct password was refused because five other correct sign-ins were in flight.");
    }

    /// <summary>
    /// The password is checked against the row as reserved. If an administrator's <c>set-password</c> commits between
    /// the reservation and the check, the old password still signs in, and the sign-in carries the old security stamp
    /// (which <see cref="ActiveUsers.Seen"/> then caches on this instance for another ClientCacheLifetime).
    /// Settling the guess (<see cref="UserAccounts.RecordSuccessAsync"/>) sees the changed row, and the sign-in fails.
    /// </summary>
    [Fact]
    public async Task A_sign_in_whose_password_changed_during_the_check_is_refused()
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users);
        var accounts = new UserAccounts(users);
        var hasher = new GatedHasher(Iterations, holdFirst: 0)
        {
            // The administrator's change lands while the old password is being verified.
            OnVerify = () => accounts.SetPasswordAsync(user.Username, new CountingPasswordHasher(Iterations).HashPassword(user, NewPassword), CancellationToken.None).GetAwaiter().GetResult(),
        };
        var authenticator = new ResourceOwnerAuthenticator(users, accounts, hasher, new LoginThrottle(TimeProvider.System), TestClients.Security, TimeProvider.System);

        var outcome = await authenticator.SignInAsync(user.Username, Password, "192.0.2.1", CancellationToken.None);

        var row = (await users.FindAsync(user.Username, CancellationToken.None))!;
        Assert.NotEqual(user.SecurityStamp, row.SecurityStamp);
        Assert.False(outcome.Succeeded, $"The old password signed in after set-password committed, under the old stamp {(outcome.User?.SecurityStamp == user.SecurityStamp ? "(yes, the old one)" : string.Empty)}.");
    }

    /// <summary>Holds: a whole IPv6 /64 shares one budget, a neighbouring /64 has its own, IPv4-mapped counts as IPv4.</summary>
    [Fact]
    public void Addresses_are_counted_per_IPv6_64_and_IPv4_mapped_as_IPv4()
    {
        var throttle = new LoginThrottle(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            Assert.True(throttle.TryReserve($"2001:db8:1:2:{i:x}::{i + 1:x}"));
        }

        Assert.False(throttle.TryReserve("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.True(throttle.TryReserve("2001:db8:1:3::1"));
        Assert.Equal(LoginThrottle.KeyOf("203.0.113.7"), LoginThrottle.KeyOf("::ffff:203.0.113.7"));
    }

    /// <summary>Holds: 50 simultaneous guesses from 50 addresses of one IPv6 /64, at 50 accounts, check at most the /64's budget.</summary>
    [Fact]
    public async Task Fifty_simultaneous_guesses_from_one_IPv6_64_check_at_most_its_budget()
    {
        var users = new InMemoryUserStore();
        var names = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            names.Add((await AddAsync(users)).Username);
        }

        var hasher = new CountingPasswordHasher(Iterations);
        var authenticator = Authenticator(users, hasher, TimeProvider.System);

        await Task.WhenAll(names.Select((name, i) => Task.Run(() => authenticator.SignInAsync(name, "wrong", $"2001:db8:aa:bb:{i:x}:{i:x}::1", CancellationToken.None))));

        Assert.Equal(LoginThrottle.MaxFailures, hasher.Checks);
    }

    /// <summary>
    /// Holds: with every guess reading the row at once (the worst case for the conditional write), the reservation loop
    /// costs each request at most about two storage requests per guess the budget had left, not per attacker.
    /// </summary>
    [Fact]
    public async Task The_reservation_loop_stays_bounded_per_request_under_fifty_simultaneous_guesses()
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users);
        var counting = new CountingUserStore(new PausingUserStore(users, readers: 50));
        var authenticator = Authenticator(counting, new CountingPasswordHasher(Iterations), TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => authenticator.SignInAsync(user.Username, "wrong " + i, "198.51.100." + i, CancellationToken.None))));

        var perRequest = (2 * (ResourceOwnerAuthenticator.MaxFailures + 1)) + 1;
        Assert.InRange(counting.Requests, 50, 50 * perRequest);
    }

    /// <summary>Holds: an unknown user, a locked account and a spent address budget all wait for the floor on the injected clock.</summary>
    [Theory]
    [InlineData("unknown")]
    [InlineData("locked")]
    [InlineData("throttled")]
    public async Task Every_kind_of_failure_waits_for_the_floor_on_the_injected_clock(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var users = new InMemoryUserStore();
        var user = await AddAsync(users, lockedUntil: kind == "locked" ? time.GetUtcNow().AddMinutes(5) : null);
        var throttle = new LoginThrottle(time);
        if (kind == "throttled")
        {
            for (var i = 0; i < LoginThrottle.MaxFailures; i++)
            {
                throttle.TryReserve("192.0.2.50");
            }
        }

        var authenticator = new ResourceOwnerAuthenticator(users, new UserAccounts(users), new CountingPasswordHasher(Iterations), throttle, TestClients.Security, time);
        var signIn = authenticator.SignInAsync(kind == "unknown" ? "nobody-" + Guid.NewGuid().ToString("N")[..6] : user.Username, Password, "192.0.2.50", CancellationToken.None);

        Assert.False(signIn.IsCompleted);
        time.Advance(ResourceOwnerAuthenticator.FailureFloor - TimeSpan.FromMilliseconds(1));
        Assert.False(signIn.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False((await signIn.WaitAsync(TimeSpan.FromSeconds(5))).Succeeded);
    }

    private static ResourceOwnerAuthenticator Authenticator(IUserStore users, IPasswordHasher<User> hasher, TimeProvider time) =>
        new(users, new UserAccounts(users), hasher, new LoginThrottle(time), TestClients.Security, time);

    private static async Task<User> AddAsync(InMemoryUserStore users, DateTimeOffset? lockedUntil = null)
    {
        var user = new User
        {
            UserId = Guid.NewGuid().ToString("N"),
            Username = "u" + Guid.NewGuid().ToString("N")[..10],
            PasswordHash = string.Empty,
            SecurityStamp = User.NewSecurityStamp(),
            CreatedAt = DateTimeOffset.UtcNow,
            FailedLogins = lockedUntil is null ? 0 : ResourceOwnerAuthenticator.MaxFailures,
            LockedUntil = lockedUntil,
        };
        user = user with { PasswordHash = new CountingPasswordHasher(Iterations).HashPassword(user, Password) };
        await users.AddAsync(user, CancellationToken.None);
        return (await users.FindAsync(user.Username, CancellationToken.None))!;
    }

    /// <summary>Counts the reads and writes that reach the store.</summary>
    private sealed class CountingUserStore(IUserStore inner) : IUserStore
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public Task<User?> FindAsync(string username, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return inner.FindAsync(username, cancellationToken);
        }

        public Task<bool> AddAsync(User user, CancellationToken cancellationToken) => inner.AddAsync(user, cancellationToken);

        public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task<bool> RemoveAsync(string username, CancellationToken cancellationToken) => inner.RemoveAsync(username, cancellationToken);

        public Task<User?> TryReplaceAsync(User user, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return inner.TryReplaceAsync(user, cancellationToken);
        }
    }

    /// <summary>A real hasher that can hold the first few checks of a real user until released, or act during a check.</summary>
    private sealed class GatedHasher(int iterations, int holdFirst) : IPasswordHasher<User>, IDisposable
    {
        private readonly CountingPasswordHasher _inner = new(iterations);
        private readonly ManualResetEventSlim _release = new(false);
        private readonly TaskCompletionSource _allHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public Task AllHeld => _allHeld.Task;

        public Action? OnVerify { get; init; }

        public void Release() => _release.Set();

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            if (user.Username.Length > 0)
            {
                OnVerify?.Invoke();
                var n = Interlocked.Increment(ref _held);
                if (n <= holdFirst)
                {
                    if (n == holdFirst)
                    {
                        _allHeld.TrySetResult();
                    }

                    _release.Wait(TimeSpan.FromSeconds(30));
                }
            }

            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }

        public void Dispose() => _release.Dispose();
    }
}
