namespace OAuthFunctions.Core.Users;

/// <summary>The result of checking a username and password. Callers show one generic message for every failure.</summary>
public sealed record SignInOutcome(User? User, bool Throttled)
{
    public bool Succeeded => User is not null;

    public static SignInOutcome Failed { get; } = new(null, false);

    public static SignInOutcome Blocked { get; } = new(null, true);
}
