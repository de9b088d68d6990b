using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Storage.KeyVault;

namespace OAuthFunctions.Tests.Integration.Stores;

/// <summary>
/// The Data Protection key ring wrapped with a Key Vault key (docs/ARCHITECTURE.md, "Keys at rest"), against a fake
/// vault that answers the Key Vault REST API's wrapkey and unwrapkey with an RSA key of its own.
/// </summary>
public sealed class KeyVaultKeyRingTests
{
    private const string KeyUri = "https://oauth-test.vault.azure.net/keys/dataprotection";

    [Fact]
    public void Master_keys_are_stored_only_wrapped_and_another_instance_reads_them_through_the_vault()
    {
        using var vault = new FakeVault();
        var repository = new ListRepository();
        var written = Provider(repository, vault).CreateProtector("test").Protect("a cookie");

        var stored = Assert.Single(repository.GetAllElements());
        Assert.Null(stored.Descendants("masterKey").SingleOrDefault()?.Element("value"));
        Assert.NotNull(stored.Descendants("encryptedKey").Single().Element("kid"));
        Assert.Equal(1, vault.Wraps);

        // A second instance (its own services) has only the table and the vault.
        Assert.Equal("a cookie", Provider(repository, vault).CreateProtector("test").Unprotect(written));
        Assert.True(vault.Unwraps >= 1);
    }

    [Fact]
    public void Without_the_vault_the_stored_key_ring_opens_nothing()
    {
        using var vault = new FakeVault();
        var repository = new ListRepository();
        var written = Provider(repository, vault).CreateProtector("test").Protect("a cookie");

        // Someone with a copy of the table but not the vault's permission (403).
        vault.Refuse = true;
        Assert.ThrowsAny<Exception>(() => Provider(repository, vault).CreateProtector("test").Unprotect(written));
    }

    [Fact]
    public void A_stored_key_naming_another_vault_is_never_sent_the_apps_token()
    {
        using var vault = new FakeVault();
        var wrap = new KeyVaultKeyWrap(new Uri(KeyUri), new StaticToken(), new HttpClientTransport(new HttpClient(vault)));
        Assert.Throws<InvalidOperationException>(() => wrap.Unwrap("https://attacker.vault.azure.net/keys/x/1", new byte[256]));
        Assert.Equal(0, vault.Unwraps);
    }

    [Theory]
    [InlineData("https://example.vault.azure.net/keys/dataprotection", true)]
    [InlineData("https://example.vault.azure.net/keys/dataprotection/0123456789abcdef", true)]
    [InlineData("http://example.vault.azure.net/keys/dataprotection", false)]
    [InlineData("https://example.vault.azure.net/secrets/dataprotection", false)]
    [InlineData("not a uri", false)]
    public void Only_an_https_key_uri_is_a_key_encryption_key(string value, bool accepted) =>
        Assert.Equal(accepted, KeyVaultKeyWrap.IsKeyUri(value));

    [Fact]
    public void A_malformed_key_uri_fails_start_up_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:KeyVaultKeyUri"] = "http://example.vault.azure.net/keys/x" })
            .Build();
        var error = Assert.Throws<Core.Configuration.OAuthConfigurationException>(() => (object?)OAuthFunctions.Storage.StorageServiceCollectionExtensions.KeyVaultKeyUri(configuration));
        Assert.Contains("DataProtection__KeyVaultKeyUri", error.Message, StringComparison.Ordinal);
    }

    private static IDataProtectionProvider Provider(IXmlRepository repository, FakeVault vault)
    {
        var wrap = new KeyVaultKeyWrap(new Uri(KeyUri), new StaticToken(), new HttpClientTransport(new HttpClient(vault, disposeHandler: false)));
        var services = new ServiceCollection();
        services.AddSingleton(wrap);
        services.AddDataProtection().SetApplicationName("OAuthFunctions");
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = repository;
            options.XmlEncryptor = new KeyVaultXmlEncryptor(wrap);
        });
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private sealed class ListRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public IReadOnlyCollection<XElement> GetAllElements() => [.. _elements];

        public void StoreElement(XElement element, string friendlyName) => _elements.Add(element);
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Key Vault's wrapkey and unwrapkey (RSA-OAEP-256) over one RSA key that never leaves this object.</summary>
    private sealed class FakeVault : HttpMessageHandler
    {
        private readonly RSA _key = RSA.Create(3072);

        public int Wraps { get; private set; }

        public int Unwraps { get; private set; }

        public bool Refuse { get; set; }

        // Data Protection encrypts and decrypts synchronously, so the pipeline sends synchronously.
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            SendAsync(request, cancellationToken).GetAwaiter().GetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("Bearer test-token", request.Headers.Authorization?.ToString());
            if (Refuse)
            {
                return new HttpResponseMessage(HttpStatusCode.Forbidden);
            }

            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            Assert.Equal("RSA-OAEP-256", body.RootElement.GetProperty("alg").GetString());
            var value = Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString());
            var path = request.RequestUri!.AbsolutePath;
            byte[] result;
            if (path.EndsWith("/wrapkey", StringComparison.Ordinal))
            {
                Wraps++;
                result = _key.Encrypt(value, RSAEncryptionPadding.OaepSHA256);
            }
            else
            {
                Unwraps++;
                result = _key.Decrypt(value, RSAEncryptionPadding.OaepSHA256);
            }

            var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["kid"] = KeyUri + "/version1", ["value"] = Base64Url.EncodeToString(result) });
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        }

        protected override void Dispose(bool disposing)
        {
            _key.Dispose();
            base.Dispose(disposing);
        }
    }
}
