using Azure.Core;
using Azure.Core.Pipeline;
using OAuthFunctions.Hosting;

namespace OAuthFunctions.LocalHost;

/// <summary>
/// With <see cref="StartupTrace"/> on, marks when the process's first storage request is sent and when its answer
/// arrives (the first one pays for the SDK pipeline's compilation and the connection). Added to the table clients only
/// then.
/// </summary>
internal sealed class StartupTracePolicy : HttpPipelinePolicy
{
    private int _seen;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var first = Interlocked.Exchange(ref _seen, 1) == 0;
        Mark(first, "storage-first-sent");
        ProcessNext(message, pipeline);
        Mark(first, "storage-first-answered");
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var first = Interlocked.Exchange(ref _seen, 1) == 0;
        Mark(first, "storage-first-sent");
        await ProcessNextAsync(message, pipeline);
        Mark(first, "storage-first-answered");
    }

    private static void Mark(bool first, string phase)
    {
        if (first)
        {
            StartupTrace.Mark(phase);
        }
    }
}
