using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>
/// A test hook around a user store: the first <paramref name="readers"/> reads are held right after they read until
/// all of them have read, so that every one of them acts on the same version of the row. That is the worst case
/// for a check-then-write: it makes races deterministic instead of lucky.
/// </summary>
public sealed class PausingUserStore(IUserStore inner, int readers) : IUserStore
{
    private readonly TaskCompletionSource _allRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reads;

    public async Task<User?> FindAsync(string username, CancellationToken cancellationToken)
    {
        var user = await inner.FindAsync(username, cancellationToken);
        var n = Interlocked.Increment(ref _reads);
        if (n == readers)
        {
            _allRead.TrySetResult();
        }

        if (n <= readers)
        {
            // Bounded, so a test that sends fewer readers fails on its assertions instead of hanging.
            await _allRead.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return user;
    }

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken) => inner.AddAsync(user, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> RemoveAsync(string username, CancellationToken cancellationToken) => inner.RemoveAsync(username, cancellationToken);

    public Task<User?> TryReplaceAsync(User user, CancellationToken cancellationToken) => inner.TryReplaceAsync(user, cancellationToken);
}
