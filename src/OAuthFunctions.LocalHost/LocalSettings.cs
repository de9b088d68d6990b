using System.Text.Json;

namespace OAuthFunctions.LocalHost;

/// <summary>Reads the "Values" of a Functions <c>local.settings.json</c> as configuration keys (<c>A__B</c> becomes <c>A:B</c>).</summary>
public static class LocalSettings
{
    public static Dictionary<string, string?> Read(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (document.RootElement.TryGetProperty("Values", out var settings))
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.ValueKind == JsonValueKind.String
                    ? setting.Value.GetString()
                    : setting.Value.GetRawText();
            }
        }

        return values;
    }
}
