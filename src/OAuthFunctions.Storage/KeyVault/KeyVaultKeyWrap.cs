using System.Buffers.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OAuthFunctions.Storage.KeyVault;

/// <summary>
/// Wraps and unwraps a data key with a key-encryption key held in Azure Key Vault (REST API 7.4, operations
/// <c>wrapkey</c> and <c>unwrapkey</c>, RSA-OAEP-256), authenticated with the app's managed identity. The private
/// half of the key-encryption key never leaves the vault; the app's identity needs only the role
/// "Key Vault Crypto Service Encryption User" (wrap and unwrap). Written on Azure.Core directly because the
/// Azure.Extensions.AspNetCore.DataProtection.Keys package (ProtectKeysWithAzureKeyVault) does not restore from this
/// project's package feed (docs/ARCHITECTURE.md, "Keys at rest").
/// </summary>
public sealed class KeyVaultKeyWrap
{
    /// <summary>The app setting naming the key: <c>https://{vault}.vault.azure.net/keys/{name}</c>.</summary>
    public const string SettingName = "DataProtection__KeyVaultKeyUri";

    private const string Algorithm = "RSA-OAEP-256";
    private const string ApiVersion = "7.4";
    private readonly HttpPipeline _pipeline;

    public KeyVaultKeyWrap(Uri keyUri, TokenCredential credential, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(keyUri);
        KeyUri = keyUri;
        var options = new KeyVaultPipelineOptions();
        if (transport is not null)
        {
            options.Transport = transport;
        }

        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, "https://vault.azure.net/.default"));
    }

    public Uri KeyUri { get; }

    /// <summary>Whether <paramref name="value"/> names a Key Vault key over https (<c>…/keys/{name}[/{version}]</c>).</summary>
    public static bool IsKeyUri(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["keys", _] or ["keys", _, _];

    /// <summary>The data key wrapped, and the versioned id of the key that wrapped it (needed to unwrap).</summary>
    public (string KeyId, byte[] Wrapped) Wrap(byte[] dataKey)
    {
        var answer = Send(new Uri(KeyUri.AbsoluteUri.TrimEnd('/') + "/wrapkey?api-version=" + ApiVersion), dataKey);
        return (answer.Kid, answer.Value);
    }

    public byte[] Unwrap(string keyId, byte[] wrapped)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);

        // Only a key of the configured vault may be asked to unwrap: the stored XML names it, and must not send the
        // app's token anywhere else.
        if (!IsKeyUri(keyId) || !string.Equals(new Uri(keyId).Host, KeyUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The stored key names a key-encryption key outside the configured vault.");
        }

        return Send(new Uri(keyId.TrimEnd('/') + "/unwrapkey?api-version=" + ApiVersion), wrapped).Value;
    }

    private (string Kid, byte[] Value) Send(Uri uri, byte[] value)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(uri);
        request.Headers.Add(HttpHeader.Common.JsonContentType);
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(
            new KeyOperation(Algorithm, Base64Url.EncodeToString(value)), KeyVaultJsonContext.Default.KeyOperation));
        _pipeline.Send(message, CancellationToken.None);
        var response = message.Response;
        if (response.Status != 200)
        {
            throw new InvalidOperationException($"Key Vault answered {response.Status} to a key operation.");
        }

        var result = JsonSerializer.Deserialize(response.Content.ToMemory().Span, KeyVaultJsonContext.Default.KeyOperationResult)
            ?? throw new InvalidOperationException("Key Vault answered a key operation without a body.");
        return (result.Kid, Base64Url.DecodeFromChars(result.Value));
    }

    private sealed class KeyVaultPipelineOptions : ClientOptions;
}
