using Microsoft.Extensions.Logging.Abstractions;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Client registrations the tests share.</summary>
internal static class TestClients
{
    public const string ConfidentialId = "confidential-client";
    public const string ConfidentialSecret = "s3cret+with/odd=chars";
    public const string PublicId = "public-client";
    public const string RedirectUri = "https://c.example/cb";

    /// <summary>Security events go nowhere in unit tests unless a test listens.</summary>
    public static SecurityLog Security { get; } = new(NullLoggerFactory.Instance);

    public static Client Confidential(params string[] redirectUris) => new()
    {
        ClientId = ConfidentialId,
        SecretHash = SecretHasher.Hash(ConfidentialSecret),
        Name = "Confidential app",
        Url = "https://c.example",
        RedirectUris = redirectUris.Length == 0 ? [RedirectUri] : redirectUris,
        Type = ClientType.Confidential,
        GrantTypes = GrantTypes.AllowedFor(ClientType.Confidential),
        Scope = Scope.ReadWrite,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public static Client Public(params string[] redirectUris) => new()
    {
        ClientId = PublicId,
        Name = "Public app",
        Url = "https://p.example",
        RedirectUris = redirectUris.Length == 0 ? [RedirectUri] : redirectUris,
        Type = ClientType.Public,
        GrantTypes = GrantTypes.AllowedFor(ClientType.Public),
        Scope = Scope.ReadWrite,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
