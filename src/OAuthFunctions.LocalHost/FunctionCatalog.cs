using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace OAuthFunctions.LocalHost;

/// <summary>
/// The functions of an assembly, read from the same attributes the Functions SDK turns into functions.metadata
/// (<c>[Function]</c>, <c>[HttpTrigger]</c>, <c>[TimerTrigger]</c>): there is no second, hand-written route table.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<HttpFunction> HttpFunctions(Assembly assembly) =>
        [.. Functions(assembly)
            .Select(f => (f.Name, f.Type, f.Method, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new HttpFunction(f.Name, f.Trigger!.Route ?? f.Name, [.. (f.Trigger.Methods ?? []).Select(m => m.ToUpperInvariant())], f.Type, f.Method))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    public static IReadOnlyList<TimerFunction> TimerFunctions(Assembly assembly) =>
        [.. Functions(assembly)
            .Select(f => (f.Name, f.Type, f.Method, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new TimerFunction(f.Name, f.Trigger!.Schedule, f.Trigger.RunOnStartup, f.Type, f.Method))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    private static IEnumerable<(string Name, Type Type, MethodInfo Method)> Functions(Assembly assembly) =>
        from type in assembly.GetExportedTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        select (function.Name, type, method);
}
