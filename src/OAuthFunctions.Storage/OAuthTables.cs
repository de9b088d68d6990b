using Azure.Data.Tables;

namespace OAuthFunctions.Storage;

/// <summary>The server's tables, named from <c>TablePrefix</c>: Clients, Users, Tokens and Keys (the Data Protection key ring).</summary>
public sealed class OAuthTables
{
    public OAuthTables(TableServiceClient service, string prefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Clients = service.GetTableClient(prefix + "Clients");
        Users = service.GetTableClient(prefix + "Users");
        Tokens = service.GetTableClient(prefix + "Tokens");
        Keys = service.GetTableClient(prefix + "Keys");
    }

    public TableClient Clients { get; }

    public TableClient Users { get; }

    public TableClient Tokens { get; }

    public TableClient Keys { get; }

    public IReadOnlyList<TableClient> All => [Clients, Users, Tokens, Keys];

    /// <summary>Creates the tables that do not exist yet (idempotent). For <c>oauthctl init</c> and local development only.</summary>
    public Task<IReadOnlyList<string>> CreateAsync(CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync<IReadOnlyList<string>>(
            async () =>
            {
                var created = new List<string>();
                foreach (var table in All)
                {
                    var response = await table.CreateIfNotExistsAsync(cancellationToken);
                    if (response?.Value is not null && response.GetRawResponse().Status is 201 or 204)
                    {
                        created.Add(table.Name);
                    }
                }

                return created;
            },
            cancellationToken);
}
