using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Http;
using OAuthFunctions.Storage;

namespace OAuthFunctions.Tests.Architecture;

/// <summary>
/// The layers of docs/ARCHITECTURE.md ("Projects"): Core is the protocol and knows nothing of its host or its storage;
/// Storage knows Core but not the Functions app; a function is a thin adapter that hands its request over.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Core = typeof(OAuthRequest).Assembly;
    private static readonly Assembly Storage = typeof(TableKeys).Assembly;
    private static readonly Assembly FunctionsApp = typeof(EndpointRunner).Assembly;
    private static readonly Assembly ResourceServer = typeof(OAuthFunctions.ResourceServer.BearerTokenValidator).Assembly;

    [Theory]
    [InlineData("Azure")]
    [InlineData("Microsoft.Azure")]
    [InlineData("Microsoft.AspNetCore.Http")]
    [InlineData("Microsoft.AspNetCore.Mvc")]
    [InlineData("Microsoft.AspNetCore.Hosting")]
    [InlineData("OAuthFunctions.Storage")]
    [InlineData("OAuthFunctions.Http")]
    [InlineData("OAuthFunctions.Functions")]
    [InlineData("OAuthFunctions.Hosting")]
    public void Core_does_not_use(string forbidden) =>
        AssertNone(Types.InAssembly(Core).Should().NotHaveDependencyOn(forbidden).GetResult(), $"Core uses {forbidden}");

    [Theory]
    [InlineData("Microsoft.Azure.Functions")]
    [InlineData("Microsoft.AspNetCore.Http")]
    [InlineData("Microsoft.AspNetCore.Mvc")]
    [InlineData("OAuthFunctions.Http")]
    [InlineData("OAuthFunctions.Functions")]
    [InlineData("OAuthFunctions.Hosting")]
    public void Storage_does_not_use(string forbidden) =>
        AssertNone(Types.InAssembly(Storage).Should().NotHaveDependencyOn(forbidden).GetResult(), $"Storage uses {forbidden}");

    [Fact]
    public void Storage_does_not_reference_the_functions_app() =>
        Assert.DoesNotContain(Storage.GetReferencedAssemblies(), reference => reference.Name == FunctionsApp.GetName().Name);

    [Fact]
    public void Core_references_neither_storage_nor_the_functions_app() =>
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), reference => reference.Name == Storage.GetName().Name || reference.Name == FunctionsApp.GetName().Name);

    /// <summary>
    /// The library APIs install from NuGet talks to the server over HTTP only (introspection and metadata): it must
    /// ship without the server's own assemblies, and keep working against any version of them.
    /// </summary>
    [Fact]
    public void The_resource_server_library_references_none_of_the_servers_assemblies()
    {
        string[] server = [Core.GetName().Name!, Storage.GetName().Name!, FunctionsApp.GetName().Name!];

        Assert.DoesNotContain(ResourceServer.GetReferencedAssemblies(), reference => server.Contains(reference.Name));
        foreach (var forbidden in new[] { "OAuthFunctions.Core", "OAuthFunctions.Storage", "OAuthFunctions.Http", "Azure", "Microsoft.Azure" })
        {
            AssertNone(Types.InAssembly(ResourceServer).Should().NotHaveDependencyOn(forbidden).GetResult(), $"The resource server library uses {forbidden}");
        }
    }

    [Fact]
    public void Every_function_class_lives_in_the_functions_namespace_and_is_sealed()
    {
        var functionClasses = FunctionMethods().Select(method => method.DeclaringType!).Distinct().ToList();

        Assert.NotEmpty(functionClasses);
        Assert.All(functionClasses, type =>
        {
            Assert.Equal("OAuthFunctions.Functions", type.Namespace);
            Assert.True(type.IsSealed, $"{type.Name} is not sealed");
            Assert.Single(type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        });
    }

    /// <summary>
    /// A function's body hands its input to one call (the endpoint runner, or the purger) and returns: no branch, no
    /// other call. Logic belongs in Core, where it is tested without a host.
    /// </summary>
    [Fact]
    public void A_function_holds_no_logic_beyond_handing_its_request_over()
    {
        using var module = ModuleDefinition.ReadModule(FunctionsApp.Location);
        var methods = module.Types
            .Where(type => type.Namespace == "OAuthFunctions.Functions")
            .SelectMany(type => type.Methods)
            .Where(method => method.CustomAttributes.Any(attribute => attribute.AttributeType.Name == nameof(FunctionAttribute)))
            .ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, method =>
        {
            var instructions = method.Body.Instructions;
            var calls = instructions.Where(i => i.OpCode.FlowControl == FlowControl.Call).Select(i => (MethodReference)i.Operand).ToList();
            Assert.True(calls.Count == 1, $"{method.DeclaringType.Name}.{method.Name} makes {calls.Count} calls");
            Assert.Contains(calls[0].DeclaringType.Name, new[] { nameof(EndpointRunner), "TokenPurger" });
            Assert.DoesNotContain(instructions, i => i.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Throw);
        });
    }

    private static IEnumerable<MethodInfo> FunctionMethods() =>
        FunctionsApp.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null);

    private static void AssertNone(TestResult result, string what) =>
        Assert.True(result.IsSuccessful, what + ": " + string.Join(", ", result.FailingTypeNames ?? []));
}
