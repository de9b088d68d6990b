using Azure;
using Azure.Data.Tables;

namespace OAuthFunctions.Storage.Entities;

/// <summary>
/// What an import last wrote for a user or client (docs/MIGRATING.md): a row next to it (same partition, RowKey
/// <see cref="Row"/>), so a re-import can tell what the old server changed from what was changed here, an imported
/// user or client from one registered here, and one removed here from one never imported.
/// </summary>
public sealed class ImportRecordEntity : ITableEntity
{
    public const string Row = "imported";

    public ImportRecordEntity()
    {
    }

    public ImportRecordEntity(string partition, string? userId, string fingerprint, bool active, string sourcePk)
    {
        PartitionKey = partition;
        UserId = userId;
        Fingerprint = fingerprint;
        Active = active;
        SourcePk = sourcePk;
    }

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The user id given at the first import.</summary>
    public string? UserId { get; set; }

    /// <summary>SHA-256 of what the dump said last time (a user's password hash; a client's registration).</summary>
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>A user's <c>is_active</c> as last imported.</summary>
    public bool Active { get; set; }

    /// <summary>The primary key in the dump it came from.</summary>
    public string SourcePk { get; set; } = string.Empty;
}
