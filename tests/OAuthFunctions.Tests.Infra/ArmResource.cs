using System.Text.Json;
using System.Text.RegularExpressions;

namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// A resource of the compiled ARM template, with the template that declares it (a module's nested template, or
/// main) and the module deployment that holds that template (null for main).
/// </summary>
internal sealed partial record ArmResource(string SymbolicName, JsonElement Body, JsonElement Template, ArmResource? Deployment)
{
    public string Type => Body.GetProperty("type").GetString()!;

    public string Name => Body.GetProperty("name").GetString()!;

    public JsonElement Properties => Body.GetProperty("properties");

    /// <summary>The module that declares this resource, as named in main.bicep (empty for main).</summary>
    public string Module => Deployment?.Name ?? string.Empty;

    /// <summary>A property of <see cref="Properties"/> by dotted path, or fails naming what is missing.</summary>
    public JsonElement Property(string path)
    {
        var element = Properties;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                throw new InvalidOperationException($"{Type} in module '{Module}' has no properties.{path}.");
            }
        }

        return element;
    }

    /// <summary>
    /// For a module deployment: the value main passes for one of the module's parameters, as written (an expression
    /// or a literal).
    /// </summary>
    public JsonElement Argument(string parameter) =>
        Type == "Microsoft.Resources/deployments"
            ? Property($"parameters.{parameter}.value")
            : throw new InvalidOperationException($"{Type} is not a module deployment.");

    /// <summary>The value that the module declaring this resource receives for one of its parameters.</summary>
    public JsonElement ModuleParameter(string parameter) =>
        Deployment is null
            ? throw new InvalidOperationException($"{Type} is declared in main, not in a module.")
            : Deployment.Argument(parameter);

    /// <summary>
    /// Replaces <c>variables('x')</c> and <c>variables('x').y</c> in an ARM expression with the variable's own
    /// text (its expression without brackets, or its JSON), so that a reader sees e.g. the role GUID itself.
    /// </summary>
    public string ExpandVariables(string expression)
    {
        var variables = Template.TryGetProperty("variables", out var v) ? v : default;
        for (var round = 0; round < 10; round++)
        {
            var expanded = VariableReference().Replace(expression, match => VariableText(variables, match));
            if (expanded == expression)
            {
                return expanded;
            }

            expression = expanded;
        }

        return expression;
    }

    private static string VariableText(JsonElement variables, Match match)
    {
        if (variables.ValueKind != JsonValueKind.Object || !variables.TryGetProperty(match.Groups["name"].Value, out var value))
        {
            return match.Value;
        }

        foreach (var member in match.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(member, out value))
            {
                return match.Value;
            }
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }

        var text = value.GetString()!;
        return text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : $"'{text}'";
    }

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)*)")]
    private static partial Regex VariableReference();
}
