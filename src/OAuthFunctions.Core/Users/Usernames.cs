using System.Text.RegularExpressions;

namespace OAuthFunctions.Core.Users;

/// <summary>Django's username rule: 1 to 150 letters, digits and <c>@ . + - _</c>.</summary>
public static partial class Usernames
{
    public static bool IsValid(string? username) => username is not null && Pattern().IsMatch(username);

    [GeneratedRegex(@"^[A-Za-z0-9@.+_-]{1,150}$")]
    private static partial Regex Pattern();
}
