using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>
/// The invocation a worker middleware sees, without a Functions host: the function's name, and the real
/// <see cref="HttpContext"/> under the key the ASP.NET Core integration puts it (its <c>GetHttpContext()</c> reads it).
/// </summary>
internal sealed class TestFunctionContext : FunctionContext
{
    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore's item key for the invocation's HttpContext.</summary>
    private const string HttpContextKey = "HttpRequestContext";

    public TestFunctionContext(string functionName, HttpContext http)
    {
        FunctionDefinition = new Definition(functionName);
        InstanceServices = http.RequestServices;
        Items = new Dictionary<object, object> { [HttpContextKey] = http };
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; }

    public override IInvocationFeatures Features => throw new NotSupportedException();

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(NotesFunctions.ProfileFunction).Assembly.Location;

        public override string EntryPoint => "NotesFunctions." + name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
