using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Storage.Entities;

/// <summary>A row of the Clients table (PartitionKey = client_id). Lists are stored as JSON arrays.</summary>
public sealed class ClientEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = TableKeys.SingletonRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? SecretHash { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;

    public string RedirectUris { get; set; } = "[]";

    public string Type { get; set; } = nameof(ClientType.Confidential);

    public string GrantTypes { get; set; } = "[]";

    public int Scope { get; set; }

    public bool Trusted { get; set; }

    public bool PkceOptional { get; set; }

    /// <summary>The allowed web origins (CORS), a JSON array; rows written before there were any have none.</summary>
    public string AllowedOrigins { get; set; } = "[]";

    public string? Owner { get; set; }

    /// <summary><c>Jwt</c> for RFC 9068 access tokens; absent (rows from before) means opaque.</summary>
    public string? AccessTokenFormat { get; set; }

    public string? AccessTokenAudience { get; set; }

    /// <summary>JSON array; absent on rows from before RP-initiated logout.</summary>
    public string? PostLogoutRedirectUris { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public static ClientEntity From(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new ClientEntity
        {
            PartitionKey = client.ClientId,
            SecretHash = client.SecretHash,
            Name = client.Name,
            Url = client.Url,
            RedirectUris = JsonSerializer.Serialize(client.RedirectUris, StorageJsonContext.Default.IReadOnlyListString),
            Type = client.Type.ToString(),
            GrantTypes = JsonSerializer.Serialize(client.GrantTypes, StorageJsonContext.Default.IReadOnlyListString),
            Scope = client.Scope,
            Trusted = client.Trusted,
            PkceOptional = client.PkceOptional,
            AllowedOrigins = JsonSerializer.Serialize(client.AllowedOrigins, StorageJsonContext.Default.IReadOnlyListString),
            Owner = client.Owner,
            CreatedAt = client.CreatedAt,
            AccessTokenFormat = client.AccessTokenFormat == Core.Clients.AccessTokenFormat.Opaque ? null : client.AccessTokenFormat.ToString(),
            AccessTokenAudience = client.AccessTokenAudience,
            PostLogoutRedirectUris = client.PostLogoutRedirectUris.Count == 0 ? null : JsonSerializer.Serialize(client.PostLogoutRedirectUris, StorageJsonContext.Default.IReadOnlyListString),
        };
    }

    public Client ToClient() => new()
    {
        ClientId = PartitionKey,
        SecretHash = SecretHash,
        Name = Name,
        Url = Url,
        RedirectUris = JsonSerializer.Deserialize(RedirectUris, StorageJsonContext.Default.IReadOnlyListString) ?? [],
        Type = Enum.TryParse<ClientType>(Type, out var type) ? type : ClientType.Confidential,
        GrantTypes = JsonSerializer.Deserialize(GrantTypes, StorageJsonContext.Default.IReadOnlyListString) ?? [],
        Scope = Scope,
        Trusted = Trusted,
        PkceOptional = PkceOptional,
        AllowedOrigins = JsonSerializer.Deserialize(AllowedOrigins, StorageJsonContext.Default.IReadOnlyListString) ?? [],
        Owner = Owner,
        CreatedAt = CreatedAt,
        AccessTokenFormat = Enum.TryParse<Core.Clients.AccessTokenFormat>(AccessTokenFormat, out var format) ? format : Core.Clients.AccessTokenFormat.Opaque,
        AccessTokenAudience = AccessTokenAudience,
        PostLogoutRedirectUris = PostLogoutRedirectUris is null ? [] : JsonSerializer.Deserialize(PostLogoutRedirectUris, StorageJsonContext.Default.IReadOnlyListString) ?? [],
    };
}
