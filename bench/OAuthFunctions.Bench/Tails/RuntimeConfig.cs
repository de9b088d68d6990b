using System.Text.Json.Nodes;

namespace OAuthFunctions.Bench.Tails;

/// <summary>Edits a published app's runtimeconfig.json: the runtime reads it at process start.</summary>
internal static class RuntimeConfig
{
    private const string MinThreads = "System.Threading.ThreadPool.MinThreads";

    /// <summary>Sets the thread pool's minimum worker threads, or removes the setting (the runtime default) when null.</summary>
    public static void SetMinThreads(string assembly, int? threads)
    {
        var path = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var options = root["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is not JsonObject properties)
        {
            properties = [];
            options["configProperties"] = properties;
        }

        if (threads is { } value)
        {
            properties[MinThreads] = value;
        }
        else
        {
            properties.Remove(MinThreads);
        }

        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
