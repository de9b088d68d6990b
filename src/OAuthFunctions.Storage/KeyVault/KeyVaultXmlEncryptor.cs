using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace OAuthFunctions.Storage.KeyVault;

/// <summary>
/// Encrypts each Data Protection master key before it is stored in the Keys table: AES-256-GCM under a fresh random
/// data key, which Key Vault wraps (<see cref="KeyVaultKeyWrap"/>). What the table holds is then useless without the
/// vault: the cookies' keys and, through them, the signing keys' private parts. Runs only when a key is created
/// (every 90 days), never on a request path.
/// </summary>
public sealed class KeyVaultXmlEncryptor(KeyVaultKeyWrap wrap) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(dataKey, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var (keyId, wrapped) = wrap.Wrap(dataKey);
        CryptographicOperations.ZeroMemory(dataKey);
        var element = new XElement(
            "encryptedKey",
            new XComment(" This key is encrypted with a key-encryption key in Azure Key Vault. "),
            new XElement("kid", keyId),
            new XElement("key", Convert.ToBase64String(wrapped)),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(KeyVaultXmlDecryptor));
    }
}
