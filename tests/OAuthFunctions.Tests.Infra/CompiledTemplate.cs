using System.Text.Json;

namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// Compiles infra/main.bicep and infra/main.bicepparam once per test run (shared by every test class through
/// <see cref="CompiledTemplateGroup"/>) and exposes the ARM JSON.
/// </summary>
public sealed class CompiledTemplate : IDisposable
{
    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), $"oauthfunctions-infra-{Guid.NewGuid():N}");
    private readonly Lazy<JsonDocument> _template;
    private readonly Lazy<JsonDocument> _parameters;

    public CompiledTemplate()
    {
        Directory.CreateDirectory(_outputDirectory);
        var templateFile = Path.Combine(_outputDirectory, "main.json");
        var parametersFile = Path.Combine(_outputDirectory, "main.parameters.json");
        Build = BicepCli.Run("build", "infra/main.bicep", "--outfile", templateFile);
        BuildParameters = BicepCli.Run("build-params", "infra/main.bicepparam", "--outfile", parametersFile);
        _template = new(() => Load(Build, templateFile));
        _parameters = new(() => Load(BuildParameters, parametersFile));
    }

    internal BicepResult Build { get; }

    internal BicepResult BuildParameters { get; }

    /// <summary>The compiled main template.</summary>
    internal JsonElement Root => _template.Value.RootElement;

    /// <summary>The compiled parameters file.</summary>
    internal JsonElement Parameters => _parameters.Value.RootElement;

    /// <summary>The compiled template as text, for searches that must cover every nested template.</summary>
    internal string Text => Root.GetRawText();

    /// <summary>Every resource declared in main and in the modules' nested templates (not <c>existing</c> references).</summary>
    internal IEnumerable<ArmResource> Resources => Declared(Root, deployment: null);

    internal IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of a type, or a failure that says how many there were.</summary>
    internal ArmResource Single(string type)
    {
        var matches = OfType(type).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected exactly one {type} in the compiled template, found {matches.Count}.");
    }

    /// <summary>The module deployment (in main) with the given name.</summary>
    internal ArmResource Module(string name) =>
        OfType("Microsoft.Resources/deployments").SingleOrDefault(d => d.Name == name && d.Deployment is null)
        ?? throw new InvalidOperationException($"main.bicep has no module named '{name}'.");

    /// <summary>A parameter declaration of main.bicep.</summary>
    internal JsonElement MainParameter(string name) =>
        Root.GetProperty("parameters").TryGetProperty(name, out var parameter)
            ? parameter
            : throw new InvalidOperationException($"main.bicep has no parameter '{name}'.");

    public void Dispose()
    {
        if (_template.IsValueCreated)
        {
            _template.Value.Dispose();
        }

        if (_parameters.IsValueCreated)
        {
            _parameters.Value.Dispose();
        }

        Directory.Delete(_outputDirectory, recursive: true);
    }

    private static JsonDocument Load(BicepResult result, string file) =>
        result.ExitCode == 0 && File.Exists(file)
            ? JsonDocument.Parse(File.ReadAllText(file))
            : throw new InvalidOperationException($"Compilation failed, so nothing else can be checked.{Environment.NewLine}{result.Describe()}");

    // languageVersion 2.0 templates (user-defined types and functions) keep resources in an object keyed by
    // symbolic name; older ones in an array.
    private static IEnumerable<ArmResource> Declared(JsonElement template, ArmResource? deployment)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            yield break;
        }

        var entries = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => (p.Name, p.Value))
            : resources.EnumerateArray().Select((r, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), r));
        foreach (var (symbolicName, body) in entries)
        {
            if (body.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            var resource = new ArmResource(symbolicName, body, template, deployment);
            yield return resource;
            if (resource.Type == "Microsoft.Resources/deployments"
                && body.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var nested))
            {
                foreach (var inner in Declared(nested, resource))
                {
                    yield return inner;
                }
            }
        }
    }
}
