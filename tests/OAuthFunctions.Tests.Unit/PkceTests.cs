using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>RFC 7636 S256.</summary>
public sealed class PkceTests
{
    // RFC 7636 Appendix B.
    private const string AppendixBVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string AppendixBChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    [Fact]
    public void ChallengeOf_matches_rfc7636_appendix_b() => Assert.Equal(AppendixBChallenge, Pkce.ChallengeOf(AppendixBVerifier));

    [Fact]
    public void Verify_accepts_the_appendix_b_pair() => Assert.True(Pkce.Verify(AppendixBVerifier, AppendixBChallenge));

    [Fact]
    public void Verify_refuses_another_verifier()
    {
        var other = AppendixBVerifier[..^1] + "Y";

        Assert.False(Pkce.Verify(other, AppendixBChallenge));
    }

    [Fact]
    public void Verify_refuses_the_challenge_presented_as_verifier() =>
        Assert.False(Pkce.Verify(AppendixBChallenge, AppendixBChallenge));

    [Fact]
    public void Verify_refuses_a_malformed_challenge() =>
        Assert.False(Pkce.Verify(AppendixBVerifier, AppendixBChallenge + "="));

    [Theory]
    [InlineData(43)]
    [InlineData(128)]
    public void Verifier_of_allowed_length_is_well_formed(int length) =>
        Assert.True(Pkce.IsWellFormedVerifier(new string('a', length)));

    [Theory]
    [InlineData(42)]
    [InlineData(129)]
    [InlineData(0)]
    public void Verifier_outside_43_to_128_is_malformed(int length) =>
        Assert.False(Pkce.IsWellFormedVerifier(new string('a', length)));

    [Fact]
    public void Verifier_may_use_every_unreserved_character() =>
        Assert.True(Pkce.IsWellFormedVerifier("ABCXYZabcxyz0123456789-._~" + new string('a', 20)));

    [Theory]
    [InlineData('+')]
    [InlineData('/')]
    [InlineData('=')]
    [InlineData(' ')]
    [InlineData('%')]
    [InlineData('é')]
    public void Verifier_with_a_character_outside_unreserved_is_malformed(char bad) =>
        Assert.False(Pkce.IsWellFormedVerifier(new string('a', 42) + bad));

    [Fact]
    public void Null_verifier_is_malformed() => Assert.False(Pkce.IsWellFormedVerifier(null));

    [Fact]
    public void Verify_refuses_a_too_short_verifier_even_if_its_hash_matches()
    {
        var shortVerifier = new string('a', 42);

        Assert.False(Pkce.Verify(shortVerifier, Pkce.ChallengeOf(shortVerifier)));
    }

    [Fact]
    public void Appendix_b_challenge_is_well_formed() => Assert.True(Pkce.IsWellFormedChallenge(AppendixBChallenge));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw/cM")]
    public void Malformed_challenge_is_refused(string? challenge) => Assert.False(Pkce.IsWellFormedChallenge(challenge));
}
