namespace OAuthFunctions.Core.Users;

/// <summary>
/// How many password guesses an account gets (docs/ARCHITECTURE.md, "Brute force"): <see cref="MaxFailures"/> wrong
/// passwords, counting guesses still being checked, then a <see cref="Lockout"/>. A guess that finds every slot in
/// flight waits up to <see cref="MaxWait"/> for one to be decided.
/// </summary>
public sealed record GuessBudget
{
    public static GuessBudget Default { get; } = new();

    public int MaxFailures { get; init; } = ResourceOwnerAuthenticator.MaxFailures;

    public TimeSpan Lockout { get; init; } = ResourceOwnerAuthenticator.Lockout;

    /// <summary>Longer than any request lives: a pending guess older than this belongs to a request that died.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many re-reads a waiting guess may make.</summary>
    public int MaxPolls => (int)Math.Ceiling(MaxWait / PollInterval) + 1;
}
