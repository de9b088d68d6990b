using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OAuthFunctions.Testing;

/// <summary>
/// Makes chosen table requests fail the way an outage does (a 503 from the service, or no answer at all), which
/// Azurite cannot do. Everything else reaches Azurite unchanged, so what did get written can be inspected.
/// </summary>
public sealed class StorageFaultInjector : HttpPipelinePolicy
{
    private Func<Request, bool>? _shouldFail;
    private Mode _mode;

    public int Injected { get; private set; }

    /// <summary>Fails every request for which <paramref name="shouldFail"/> is true with a 503 Server Busy.</summary>
    public void FailWith503(Func<Request, bool> shouldFail) => Arm(Mode.ServerBusy, shouldFail);

    /// <summary>Fails matching requests as if the network were down (no response).</summary>
    public void FailAsUnreachable(Func<Request, bool> shouldFail) => Arm(Mode.Unreachable, shouldFail);

    /// <summary>Fails matching requests as the SDK's network timeout does (a cancellation nobody asked for).</summary>
    public void FailAsTimeout(Func<Request, bool> shouldFail) => Arm(Mode.Timeout, shouldFail);

    /// <summary>Lets matching requests reach storage, then loses the answer (a 503 instead): the SDK retries a write that succeeded.</summary>
    public void LoseAnswer(Func<Request, bool> shouldFail) => Arm(Mode.LostAnswer, shouldFail);

    public void Clear() => _shouldFail = null;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (_shouldFail is not { } predicate || !predicate(message.Request))
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        if (_mode == Mode.LostAnswer)
        {
            Injected++;
            await ProcessNextAsync(message, pipeline);
            message.Response = new ServerBusyResponse(message.Request.ClientRequestId);
            return;
        }

        Intercept(message);
    }

    private void Intercept(HttpMessage message)
    {

        Injected++;
        switch (_mode)
        {
            case Mode.Unreachable:
                throw new RequestFailedException(0, "Injected fault: connection refused.");
            case Mode.Timeout:
                throw new TaskCanceledException("Injected fault: the request exceeded the network timeout.");
            default:
                break;
        }

        message.Response = new ServerBusyResponse(message.Request.ClientRequestId);
    }

    private void Arm(Mode mode, Func<Request, bool> shouldFail)
    {
        _mode = mode;
        _shouldFail = shouldFail;
    }

    private enum Mode
    {
        ServerBusy,
        Unreachable,
        Timeout,
        LostAnswer,
    }

    private sealed class ServerBusyResponse(string clientRequestId) : Response
    {
        public override int Status => 503;

        public override string ReasonPhrase => "Server Busy";

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
