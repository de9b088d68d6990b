using System.Security.Cryptography;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// The JWS algorithms the server signs with (RFC 7518 §3.1): RS256, which OpenID Connect Core §15.1 makes mandatory to
/// implement and which clients expect unless they registered another, and ES256 as an option (smaller, faster tokens).
/// </summary>
public static class SigningAlgorithms
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";

    /// <summary>RFC 7518 §3.3: a key of 2048 bits or larger MUST be used with RS256.</summary>
    public const int RsaKeyBits = 2048;

    public static IReadOnlyList<string> Supported { get; } = [RS256, ES256];

    public static bool IsSupported(string? algorithm) => algorithm is RS256 or ES256;

    /// <summary>A new private key for <paramref name="algorithm"/>.</summary>
    public static AsymmetricAlgorithm Generate(string algorithm) => algorithm switch
    {
        RS256 => RSA.Create(RsaKeyBits),
        ES256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported signing algorithm."),
    };

    /// <summary>Reads a PKCS#8 private key of <paramref name="algorithm"/>.</summary>
    public static AsymmetricAlgorithm Import(string algorithm, ReadOnlySpan<byte> pkcs8)
    {
        AsymmetricAlgorithm key = algorithm switch
        {
            RS256 => RSA.Create(),
            ES256 => ECDsa.Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported signing algorithm."),
        };
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return key;
    }
}
