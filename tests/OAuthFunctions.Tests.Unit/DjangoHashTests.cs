using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Password hashes made by Django itself (tests/fixtures/django/make_dump.py, python3-django 3.2): the right password
/// verifies and asks for a rehash, a wrong one fails, and formats this server does not verify are never accepted.
/// </summary>
public sealed class DjangoHashTests
{
    private static readonly Dictionary<string, string> Hashes = LoadHashes();

    private static readonly string[] VerifiableUsers = ["alice", "bob", "carol", "dave"];

    public static TheoryData<string> Verifiable => [.. VerifiableUsers];

    [Theory]
    [MemberData(nameof(Verifiable))]
    public void The_right_password_verifies_against_a_django_pbkdf2_hash_and_asks_for_a_rehash(string username)
    {
        var result = new MigratingPasswordHasher().VerifyHashedPassword(User(username), Hashes[username], "pw-" + username);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, result);
    }

    [Theory]
    [MemberData(nameof(Verifiable))]
    public void A_wrong_password_fails_against_a_django_hash(string username) =>
        Assert.Equal(PasswordVerificationResult.Failed, new MigratingPasswordHasher().VerifyHashedPassword(User(username), Hashes[username], "pw-" + username + "!"));

    [Theory]
    [InlineData("erin")]
    [InlineData("frank")]
    public void Md5_and_unusable_django_passwords_are_not_django_pbkdf2_hashes(string username) =>
        Assert.False(DjangoHash.TryParse(Hashes[username], out _));

    [Fact]
    public void The_fixture_covers_both_algorithms_and_several_iteration_counts()
    {
        var parsed = VerifiableUsers.Select(name => DjangoHash.TryParse(Hashes[name], out var hash) ? hash : null).ToList();

        Assert.All(parsed, Assert.NotNull);
        Assert.Contains(parsed, hash => hash!.Algorithm == System.Security.Cryptography.HashAlgorithmName.SHA1);
        Assert.True(parsed.Select(hash => hash!.Iterations).Distinct().Count() >= 3);
    }

    [Fact]
    public void This_servers_own_hashes_still_verify_without_a_rehash()
    {
        var hasher = new MigratingPasswordHasher();
        var user = User("grace");

        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, hasher.HashPassword(user, "pw-grace"), "pw-grace"));
    }

    [Theory]
    [InlineData("pbkdf2_sha256$x$salt$aGFzaA==")]
    [InlineData("pbkdf2_sha256$0$salt$aGFzaA==")]
    [InlineData("pbkdf2_sha256$1000$$aGFzaA==")]
    [InlineData("pbkdf2_sha256$1000$salt$not base64")]
    [InlineData("bcrypt_sha256$$2b$12$abc")]
    [InlineData("argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA")]
    public void Malformed_or_other_formats_are_not_django_pbkdf2_hashes(string encoded) =>
        Assert.False(DjangoHash.TryParse(encoded, out _));

    [Theory]
    [InlineData("9b3604c1ab360d9b90953fba487562088e8a93a0", true)]
    [InlineData("2f1e0c9a7b6d5e4f3a21", true)]
    [InlineData("short", false)]
    [InlineData("has spaces in it but is long enough", false)]
    public void Only_strings_that_could_be_imported_tokens_are_looked_up(string value, bool lookedUp) =>
        Assert.Equal(lookedUp, TokenHandle.IsImportedToken(value));

    [Fact]
    public void A_token_in_this_servers_format_is_never_looked_up_as_imported() =>
        Assert.False(TokenHandle.IsImportedToken(TokenHandle.Issue(TokenKind.AccessToken, DateTimeOffset.UtcNow.AddHours(1)).Value));

    private static User User(string username) => new() { UserId = "django-1", Username = username, PasswordHash = string.Empty, CreatedAt = DateTimeOffset.UnixEpoch };

    private static Dictionary<string, string> LoadHashes()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OAuthFunctions.sln")))
        {
            directory = directory.Parent;
        }

        using var dump = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory!.FullName, "tests", "fixtures", "django", "dump.json")));
        return dump.RootElement.EnumerateArray()
            .Where(record => record.GetProperty("model").GetString() == "auth.user")
            .ToDictionary(record => record.GetProperty("fields").GetProperty("username").GetString()!, record => record.GetProperty("fields").GetProperty("password").GetString()!);
    }
}
