using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OAuthFunctions.Testing;

/// <summary>
/// Counts the HTTP requests the table clients send (per retry, so a retried request counts twice): the storage
/// cost of an operation, which is deterministic and asserted in tests.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public int Count => _requests.Count;

    /// <summary>What was sent, as "METHOD path" lines, for failure messages.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public void Reset() => _requests.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}");
}
