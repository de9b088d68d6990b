using System.Xml.Linq;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace OAuthFunctions.Storage;

/// <summary>
/// The ASP.NET Core Data Protection key ring in the Keys table, so that every instance can read the login and
/// flow cookies another instance wrote. Read once per instance (Data Protection caches the ring); written only
/// when a key is created or rotated (every 90 days by default).
/// </summary>
public sealed class TableXmlRepository(OAuthTables tables) : IXmlRepository
{
    private const string Partition = "dataprotection";

    /// <summary>
    /// The stored keys. A storage fault surfaces as <c>StorageUnavailableException</c> (inside Data Protection's own
    /// exception), so the endpoint answers 503 rather than treating every cookie as forged.
    /// </summary>
    public IReadOnlyCollection<XElement> GetAllElements() =>
        StorageFaults.Guard(() =>
        {
            var elements = new List<XElement>();
            foreach (var row in tables.Keys.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}")))
            {
                if (row.GetString("Xml") is { } xml)
                {
                    elements.Add(XElement.Parse(xml));
                }
            }

            return elements;
        });

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var rowKey = TableKeys.IsValidKey(friendlyName) ? friendlyName : Guid.NewGuid().ToString("N");
        var entity = new TableEntity(Partition, rowKey) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) };
        StorageFaults.Guard(() =>
        {
            try
            {
                return tables.Keys.AddEntity(entity);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Two instances stored the same key id at once: the element is identical, nothing to do.
                return null;
            }
        });
    }
}
