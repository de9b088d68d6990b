using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Client secrets: generated, shown once, stored hashed, compared in fixed time (docs/BEHAVIOUR.md §4).</summary>
public sealed class SecretHasherTests
{
    [Fact]
    public void Verify_accepts_the_right_secret()
    {
        var secret = SecretHasher.NewSecret();

        Assert.True(SecretHasher.Verify(secret, SecretHasher.Hash(secret)));
    }

    [Fact]
    public void Verify_refuses_a_wrong_secret() =>
        Assert.False(SecretHasher.Verify(SecretHasher.NewSecret(), SecretHasher.Hash(SecretHasher.NewSecret())));

    [Fact]
    public void Verify_refuses_an_empty_secret() =>
        Assert.False(SecretHasher.Verify(string.Empty, SecretHasher.Hash(SecretHasher.NewSecret())));

    [Fact]
    public void Verify_refuses_a_secret_differing_in_its_last_character()
    {
        var secret = SecretHasher.NewSecret();
        var modified = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        Assert.False(SecretHasher.Verify(modified, SecretHasher.Hash(secret)));
    }

    [Fact]
    public void Verify_refuses_a_secret_with_a_character_appended()
    {
        var secret = SecretHasher.NewSecret();

        Assert.False(SecretHasher.Verify(secret + "x", SecretHasher.Hash(secret)));
    }

    [Fact]
    public void Verify_refuses_the_stored_hash_presented_as_the_secret()
    {
        var hash = SecretHasher.Hash(SecretHasher.NewSecret());

        Assert.False(SecretHasher.Verify(hash, hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("not base64url!")]
    [InlineData("A")]
    // Hash-length but not canonical base64url (the last character has non-zero unused bits), as a corrupted row might be.
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public void Verify_is_false_for_a_malformed_stored_hash(string storedHash) =>
        Assert.False(SecretHasher.Verify("anything", storedHash));

    [Fact]
    public void Verify_is_false_for_a_truncated_stored_hash()
    {
        var secret = SecretHasher.NewSecret();

        // 40 characters: valid base64url of 30 bytes, not a SHA-256.
        Assert.False(SecretHasher.Verify(secret, SecretHasher.Hash(secret)[..^3]));
    }

    [Fact]
    public void Hash_is_not_the_secret()
    {
        var secret = SecretHasher.NewSecret();

        Assert.NotEqual(secret, SecretHasher.Hash(secret));
    }

    [Fact]
    public void NewSecret_has_at_least_43_url_safe_characters()
    {
        var secret = SecretHasher.NewSecret();

        Assert.True(secret.Length >= 43, $"{secret.Length} characters");
        Assert.Equal(secret, Uri.EscapeDataString(secret));
    }

    [Fact]
    public void NewSecret_is_unique()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => SecretHasher.NewSecret()).ToList();

        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NewClientId_is_22_url_safe_characters()
    {
        var clientId = SecretHasher.NewClientId();

        Assert.Equal(22, clientId.Length);
        Assert.Equal(clientId, Uri.EscapeDataString(clientId));
    }

    [Fact]
    public void NewClientId_is_unique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SecretHasher.NewClientId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
