using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Storage.Stores;

/// <summary>
/// The signing key ring as one row of the Keys table (PartitionKey <c>signing</c>, RowKey <c>ring</c>), beside the Data
/// Protection key ring that encrypts its private keys. One point read loads it; a rotation is an insert (the first key)
/// or an ETag-conditional replace, so of two instances rotating at once one wins and the other re-reads (409 or 412).
/// A ring of eight RSA keys is about 20,000 characters, within the 32,768 a string column holds.
/// </summary>
public sealed class TableSigningKeyStore(OAuthTables tables) : ISigningKeyStore
{
    private const string Partition = "signing";
    private const string Row = "ring";
    private const string Column = "Keys";

    public Task<StoredSigningKeyRing?> ReadAsync(CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(
            async () =>
            {
                var row = await tables.Keys.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
                if (!row.HasValue || row.Value!.GetString(Column) is not { } json)
                {
                    return null;
                }

                var keys = JsonSerializer.Deserialize(json, StorageJsonContext.Default.IReadOnlyListStoredSigningKey) ?? [];
                return new StoredSigningKeyRing(keys, row.Value.ETag.ToString());
            },
            cancellationToken);

    public Task<bool> TryWriteAsync(IReadOnlyList<StoredSigningKey> keys, string? version, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, Row) { [Column] = JsonSerializer.Serialize(keys, StorageJsonContext.Default.IReadOnlyListStoredSigningKey) };
        return StorageFaults.GuardAsync(
            async () =>
            {
                try
                {
                    if (version is null)
                    {
                        await tables.Keys.AddEntityAsync(entity, cancellationToken);
                    }
                    else
                    {
                        await tables.Keys.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
                    }

                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
                {
                    return false;
                }
            },
            cancellationToken);
    }
}
