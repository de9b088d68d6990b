using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// The guess budget is decided before the password is checked: a guess is counted on the user's row (a conditional
/// write) and per address first, and only a counted guess is checked. With every request reading the row at the same
/// moment (the store paused after its read), 50 simultaneous guesses still check the password only as often as the
/// budget allows.
/// </summary>
public sealed class GuessBudgetTests
{
    private const string Password = "correct horse battery";

    /// <summary>Cheap hashes keep these tests fast; the production count is ASP.NET Core Identity's default.</summary>
    private const int Iterations = 1_000;

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Fifty_simultaneous_guesses_check_the_password_at_most_the_remaining_number_of_times(int earlierFailures)
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users, failedLogins: earlierFailures);
        var hasher = new CountingPasswordHasher(Iterations);
        var authenticator = Authenticator(new PausingUserStore(users, readers: 50), hasher, TimeProvider.System);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => authenticator.SignInAsync(user.Username, "wrong guess " + i, "198.51.100." + i, CancellationToken.None))));

        var remaining = ResourceOwnerAuthenticator.MaxFailures - earlierFailures;
        Assert.All(outcomes, outcome => Assert.False(outcome.Succeeded));
        Assert.InRange(hasher.Checks, 1, remaining);
        var row = (await users.FindAsync(user.Username, CancellationToken.None))!;
        Assert.NotNull(row.LockedUntil);
    }

    [Fact]
    public async Task Fifty_simultaneous_guesses_from_one_address_check_at_most_its_budget()
    {
        var users = new InMemoryUserStore();
        var names = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            names.Add((await AddAsync(users)).Username);
        }

        var hasher = new CountingPasswordHasher(Iterations);
        var authenticator = Authenticator(users, hasher, TimeProvider.System);

        await Task.WhenAll(names.Select(name => Task.Run(() => authenticator.SignInAsync(name, "wrong", "203.0.113.9", CancellationToken.None))));

        Assert.Equal(LoginThrottle.MaxFailures, hasher.Checks);
    }

    [Fact]
    public async Task A_locked_account_is_refused_without_checking_the_password()
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users, failedLogins: ResourceOwnerAuthenticator.MaxFailures, lockedUntil: DateTimeOffset.UtcNow.AddMinutes(10));
        var hasher = new CountingPasswordHasher(Iterations);

        var outcome = await Authenticator(users, hasher, TimeProvider.System).SignInAsync(user.Username, Password, "192.0.2.1", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(0, hasher.Checks);
    }

    [Fact]
    public async Task A_correct_password_clears_the_guesses_counted_before_it()
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users, failedLogins: 3);

        var outcome = await Authenticator(users, new CountingPasswordHasher(Iterations), TimeProvider.System).SignInAsync(user.Username, Password, "192.0.2.1", CancellationToken.None);

        Assert.True(outcome.Succeeded);
        var row = (await users.FindAsync(user.Username, CancellationToken.None))!;
        Assert.Equal(0, row.FailedLogins);
        Assert.Null(row.LockedUntil);
    }

    [Fact]
    public async Task The_fifth_wrong_guess_locks_the_account_and_a_sixth_is_not_checked()
    {
        var users = new InMemoryUserStore();
        var user = await AddAsync(users);
        var hasher = new CountingPasswordHasher(Iterations);
        var authenticator = Authenticator(users, hasher, TimeProvider.System);

        for (var i = 0; i < ResourceOwnerAuthenticator.MaxFailures + 1; i++)
        {
            await authenticator.SignInAsync(user.Username, "wrong", "192.0.2." + i, CancellationToken.None);
        }

        Assert.Equal(ResourceOwnerAuthenticator.MaxFailures, hasher.Checks);
        Assert.False((await authenticator.SignInAsync(user.Username, Password, "192.0.2.99", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task A_lockout_that_is_over_starts_a_fresh_budget()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var users = new InMemoryUserStore();
        var user = await AddAsync(users, failedLogins: ResourceOwnerAuthenticator.MaxFailures, lockedUntil: time.GetUtcNow().AddMinutes(1));
        var authenticator = Authenticator(users, new CountingPasswordHasher(Iterations), time);
        time.Advance(TimeSpan.FromMinutes(2));

        var outcome = await authenticator.SignInAsync(user.Username, Password, "192.0.2.1", CancellationToken.None);

        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task Every_failure_takes_the_floor_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var users = new InMemoryUserStore();
        var user = await AddAsync(users);
        var authenticator = Authenticator(users, new CountingPasswordHasher(Iterations), time);

        // The in-memory store answers at once, so the check is done and the floor's timer set when this returns.
        var signIn = authenticator.SignInAsync(user.Username, "wrong", "192.0.2.1", CancellationToken.None);
        Assert.False(signIn.IsCompleted);
        time.Advance(ResourceOwnerAuthenticator.FailureFloor - TimeSpan.FromMilliseconds(1));
        Assert.False(signIn.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False((await signIn.WaitAsync(TimeSpan.FromSeconds(5))).Succeeded);
    }

    [Fact]
    public async Task A_success_is_not_delayed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var users = new InMemoryUserStore();
        var user = await AddAsync(users);

        var outcome = await Authenticator(users, new CountingPasswordHasher(Iterations), time)
            .SignInAsync(user.Username, Password, "192.0.2.1", CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(outcome.Succeeded);
    }

    private static ResourceOwnerAuthenticator Authenticator(IUserStore users, CountingPasswordHasher hasher, TimeProvider time) =>
        new(users, new UserAccounts(users), hasher, new LoginThrottle(time), TestClients.Security, time);

    private static async Task<User> AddAsync(InMemoryUserStore users, int failedLogins = 0, DateTimeOffset? lockedUntil = null)
    {
        var user = new User
        {
            UserId = Guid.NewGuid().ToString("N"),
            Username = "u" + Guid.NewGuid().ToString("N")[..10],
            PasswordHash = string.Empty,
            CreatedAt = DateTimeOffset.UtcNow,
            FailedLogins = failedLogins,
            LockedUntil = lockedUntil,
        };
        user = user with { PasswordHash = new CountingPasswordHasher(Iterations).HashPassword(user, Password) };
        await users.AddAsync(user, CancellationToken.None);
        return user;
    }
}
