using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// One signing key in memory: its id (<c>kid</c>), algorithm, and the schedule it keeps: published from
/// <see cref="CreatedAt"/>, signing from <see cref="ActivatesAt"/> until <see cref="RetiresAt"/> (when the next key
/// starts), published until <see cref="UnpublishAt"/> (when everything it signed has expired). The private key is
/// held as PKCS#8 bytes and an instance is rented per operation, so concurrent requests never share one
/// <see cref="AsymmetricAlgorithm"/> object (whose instance members are not documented as thread-safe).
/// </summary>
public sealed class SigningKey
{
    private readonly byte[] _pkcs8;
    private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = [];

    public SigningKey(string kid, string algorithm, byte[] pkcs8, DateTimeOffset createdAt, DateTimeOffset activatesAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        ArgumentNullException.ThrowIfNull(pkcs8);
        Kid = kid;
        Algorithm = algorithm;
        _pkcs8 = pkcs8;
        CreatedAt = createdAt;
        ActivatesAt = activatesAt;
        var key = SigningAlgorithms.Import(algorithm, pkcs8);
        PublicJwk = JwkOf(key);
        _pool.Add(key);
    }

    public string Kid { get; }

    public string Algorithm { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ActivatesAt { get; }

    /// <summary>When the next key starts signing; null while this is the newest key.</summary>
    public DateTimeOffset? RetiresAt { get; private set; }

    /// <summary>When nothing this key signed can still be valid; null while it signs or is the newest key.</summary>
    public DateTimeOffset? UnpublishAt { get; private set; }

    /// <summary>The public key as a JSON Web Key (RFC 7517 §4, RFC 7518 §6).</summary>
    public PublicJwk PublicJwk { get; }

    /// <summary>A new key with a fresh random <c>kid</c>.</summary>
    public static SigningKey Generate(string algorithm, DateTimeOffset createdAt, DateTimeOffset activatesAt)
    {
        using var key = SigningAlgorithms.Generate(algorithm);
        var kid = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        return new SigningKey(kid, algorithm, key.ExportPkcs8PrivateKey(), createdAt, activatesAt);
    }

    /// <summary>The private key, PKCS#8: only ever passed to Data Protection before it is stored.</summary>
    public byte[] ExportPkcs8() => (byte[])_pkcs8.Clone();

    internal void Schedule(DateTimeOffset? retiresAt, TimeSpan signedLifetime)
    {
        RetiresAt = retiresAt;
        UnpublishAt = retiresAt + signedLifetime;
    }

    public bool IsPublishedAt(DateTimeOffset now) => UnpublishAt is not { } end || now < end;

    /// <summary>RFC 7518 §3.3 (RSASSA-PKCS1-v1_5 with SHA-256) or §3.4 (ECDSA P-256 with SHA-256, R || S).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var key = Rent();
        try
        {
            return key switch
            {
                RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => throw new InvalidOperationException("Unsupported key type."),
            };
        }
        finally
        {
            _pool.Add(key);
        }
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var key = Rent();
        try
        {
            return key switch
            {
                RSA rsa => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => false,
            };
        }
        finally
        {
            _pool.Add(key);
        }
    }

    private AsymmetricAlgorithm Rent() => _pool.TryTake(out var key) ? key : SigningAlgorithms.Import(Algorithm, _pkcs8);

    private PublicJwk JwkOf(AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case RSA rsa:
                var rsaParameters = rsa.ExportParameters(includePrivateParameters: false);
                return new PublicJwk("RSA", Kid, "sig", Algorithm, N: Base64Url.EncodeToString(rsaParameters.Modulus), E: Base64Url.EncodeToString(rsaParameters.Exponent));
            case ECDsa ec:
                var ecParameters = ec.ExportParameters(includePrivateParameters: false);
                return new PublicJwk("EC", Kid, "sig", Algorithm, Crv: "P-256", X: Base64Url.EncodeToString(ecParameters.Q.X), Y: Base64Url.EncodeToString(ecParameters.Q.Y));
            default:
                throw new InvalidOperationException("Unsupported key type.");
        }
    }
}
