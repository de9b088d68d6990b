using Azure;
using Azure.Data.Tables;

namespace OAuthFunctions.Storage.Entities;

/// <summary>
/// A row of the Clients table's origin index (PartitionKey <see cref="TableKeys.OriginPartition"/>, RowKey
/// <see cref="TableKeys.OriginIndexRow"/>): which clients allow one web origin, so that a CORS preflight, which names
/// no client, is decided with one point read instead of a scan of every client.
/// </summary>
public sealed class OriginIndexEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = TableKeys.OriginIndexRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The serialized origin, for a person reading the table.</summary>
    public string Origin { get; set; } = string.Empty;

    /// <summary>The ids of the clients that allow the origin, a JSON array.</summary>
    public string ClientIds { get; set; } = "[]";
}
