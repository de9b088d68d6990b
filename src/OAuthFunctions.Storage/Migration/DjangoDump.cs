using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace OAuthFunctions.Storage.Migration;

/// <summary>
/// Reads the output of Django's <c>manage.py dumpdata auth.user oauth2</c>: a JSON array of
/// <c>{"model": "app.model", "pk": …, "fields": {…}}</c>, one record at a time, so that a dump of any size is read in
/// bounded memory. A file that is not such an array throws <see cref="DumpFormatException"/>.
/// </summary>
public static class DjangoDump
{
    public static async IAsyncEnumerable<DumpRecord> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        IAsyncEnumerable<JsonElement> elements;
        try
        {
            elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, topLevelValues: false, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new DumpFormatException("The file is not a JSON array (the output of manage.py dumpdata).", ex);
        }

        var enumerator = elements.GetAsyncEnumerator(cancellationToken);
        try
        {
            var index = 0;
            while (true)
            {
                JsonElement element;
                try
                {
                    if (!await enumerator.MoveNextAsync())
                    {
                        break;
                    }

                    element = enumerator.Current;
                }
                catch (JsonException ex)
                {
                    throw new DumpFormatException($"The file is not a JSON array of dumpdata records (record {index + 1}: {ex.Message}).", ex);
                }

                index++;
                yield return ToRecord(element, index);
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
        }
    }

    private static DumpRecord ToRecord(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            throw new DumpFormatException($"Record {index} is not a dumpdata record ({{\"model\", \"pk\", \"fields\"}}).");
        }

        var pk = element.TryGetProperty("pk", out var value) ? value.ToString() : string.Empty;
        return new DumpRecord(model.GetString()!, pk, fields);
    }
}

/// <summary>One dumpdata record.</summary>
public sealed record DumpRecord(string Model, string Pk, JsonElement Fields)
{
    public string? Text(string name) =>
        Fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string? Reference(string name) =>
        Fields.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Number or JsonValueKind.String ? value.ToString() : null;

    public long? Number(string name) =>
        Fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public bool? Boolean(string name) =>
        Fields.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>Django writes datetimes as ISO 8601 (UTC with <c>Z</c> when USE_TZ; naive ones are taken as UTC).</summary>
    public DateTimeOffset? Time(string name) =>
        Text(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
}

/// <summary>The file is not the output of <c>manage.py dumpdata</c>.</summary>
public sealed class DumpFormatException : Exception
{
    public DumpFormatException()
    {
    }

    public DumpFormatException(string message)
        : base(message)
    {
    }

    public DumpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
