using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OAuthFunctions.Core.Tokens;

/// <summary>Proof Key for Code Exchange (RFC 7636), S256 only.</summary>
public static class Pkce
{
    public const string S256 = "S256";

    /// <summary>RFC 7636 §4.2: an S256 challenge is BASE64URL(SHA256(verifier)): 43 characters.</summary>
    public static bool IsWellFormedChallenge(string? challenge) =>
        challenge is { Length: 43 } && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>RFC 7636 §4.1: code-verifier = 43*128unreserved.</summary>
    public static bool IsWellFormedVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge, compared in fixed time.</summary>
    public static bool Verify(string verifier, string challenge)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(challenge);
        if (!IsWellFormedVerifier(verifier) || !IsWellFormedChallenge(challenge))
        {
            return false;
        }

        var computed = Encoding.ASCII.GetBytes(ChallengeOf(verifier));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(challenge));
    }

    /// <summary>The S256 challenge of a verifier (used by clients and tests).</summary>
    public static string ChallengeOf(string verifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
