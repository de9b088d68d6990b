using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace OAuthFunctions.Storage.KeyVault;

/// <summary>
/// Reverses <see cref="KeyVaultXmlEncryptor"/>: Key Vault unwraps the data key, AES-256-GCM decrypts and authenticates
/// the master key. Data Protection creates it by type name from the stored XML, with the app's services.
/// </summary>
public sealed class KeyVaultXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var wrap = services.GetRequiredService<KeyVaultKeyWrap>();
        string Part(string name) => encryptedElement.Element(name)?.Value ?? throw new CryptographicException($"The encrypted key has no {name}.");
        var dataKey = wrap.Unwrap(Part("kid"), Convert.FromBase64String(Part("key")));
        var ciphertext = Convert.FromBase64String(Part("value"));
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(dataKey, AesGcm.TagByteSizes.MaxSize);
            aes.Decrypt(Convert.FromBase64String(Part("nonce")), ciphertext, Convert.FromBase64String(Part("tag")), plaintext);
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
