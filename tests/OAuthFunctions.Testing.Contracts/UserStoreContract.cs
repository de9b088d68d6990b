using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>What every <see cref="IUserStore"/> must do: one conditional replace, so no concurrent change is lost.</summary>
public abstract class UserStoreContract : IAsyncLifetime
{
    protected abstract IUserStore Store { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_user_is_added_once()
    {
        var user = NewUser();

        Assert.True(await Store.AddAsync(user, default));
        Assert.False(await Store.AddAsync(user, default));
        Assert.Equal(user.UserId, (await Store.FindAsync(user.Username, default))!.UserId);
    }

    [Fact]
    public async Task A_replace_with_the_version_read_succeeds_and_returns_the_new_version()
    {
        var user = await AddAsync();

        var stored = await Store.TryReplaceAsync(user with { FailedLogins = 1, SecurityStamp = "s2" }, default);

        Assert.NotNull(stored);
        Assert.NotEqual(user.Version, stored.Version);
        var read = (await Store.FindAsync(user.Username, default))!;
        Assert.Equal(stored.Version, read.Version);
        Assert.Equal(1, read.FailedLogins);
        Assert.Equal("s2", read.SecurityStamp);
    }

    [Fact]
    public async Task A_replace_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var user = await AddAsync();
        Assert.NotNull(await Store.TryReplaceAsync(user with { FailedLogins = 1 }, default));

        Assert.Null(await Store.TryReplaceAsync(user with { FailedLogins = 7 }, default));

        Assert.Equal(1, (await Store.FindAsync(user.Username, default))!.FailedLogins);
    }

    [Fact]
    public async Task Of_twenty_replaces_from_one_read_exactly_one_lands()
    {
        var user = await AddAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(n => Task.Run(() => Store.TryReplaceAsync(user with { FailedLogins = n }, default))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task A_removed_user_is_gone_and_cannot_be_replaced()
    {
        var user = await AddAsync();

        Assert.True(await Store.RemoveAsync(user.Username, default));

        Assert.Null(await Store.FindAsync(user.Username, default));
        Assert.Null(await Store.TryReplaceAsync(user, default));
        Assert.False(await Store.RemoveAsync(user.Username, default));
    }

    private static User NewUser() => new()
    {
        UserId = Guid.NewGuid().ToString("N"),
        Username = "u" + Guid.NewGuid().ToString("N")[..12],
        PasswordHash = "hash",
        SecurityStamp = "s1",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private async Task<User> AddAsync()
    {
        var user = NewUser();
        Assert.True(await Store.AddAsync(user, default));
        return (await Store.FindAsync(user.Username, default))!;
    }
}
