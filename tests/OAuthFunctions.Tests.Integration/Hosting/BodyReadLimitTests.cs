using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Http;
using OAuthFunctions.Testing.Contracts;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// The runner never reads a form body past 64 KiB: a declared length over the limit is refused before any read, and a
/// body of unknown length (chunked) is read only up to one byte past the limit. Counted at the stream the server reads.
/// </summary>
public sealed class BodyReadLimitTests
{
    private const int Limit = 64 * 1024;

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_any_byte_is_read()
    {
        var body = new CountingStream(1024 * 1024);
        var request = FormPost(body, declaredLength: body.Length);

        var (status, reached) = await RunAsync(request);

        Assert.Equal(413, status);
        Assert.False(reached);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_body_of_unknown_length_is_read_only_to_just_past_the_limit()
    {
        var body = new CountingStream(1024 * 1024);
        var request = FormPost(body, declaredLength: null);

        var (status, reached) = await RunAsync(request);

        Assert.Equal(413, status);
        Assert.False(reached);
        Assert.InRange(body.BytesRead, Limit + 1, Limit + 1);
    }

    [Fact]
    public async Task A_body_of_unknown_length_at_the_limit_reaches_the_endpoint()
    {
        var body = new CountingStream(Limit);
        var request = FormPost(body, declaredLength: null);

        var (status, reached) = await RunAsync(request);

        Assert.Equal(204, status);
        Assert.True(reached);
    }

    private static HttpRequest FormPost(CountingStream body, long? declaredLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5555);
        context.Request.Path = "/oauth2/access_token";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.ContentLength = declaredLength;
        context.Request.Body = body;
        context.RequestServices = new ServiceCollection().BuildServiceProvider();
        return context.Request;
    }

    private static async Task<(int Status, bool Reached)> RunAsync(HttpRequest request)
    {
        var options = new OAuthOptions();
        var runner = new EndpointRunner(options, new PageRenderer(options), new CorsPolicy(new InMemoryClientStore()), NullLogger<EndpointRunner>.Instance);
        var endpoint = new Endpoint();
        var result = (OAuthActionResult)await runner.RunAsync(endpoint, request, context: null);
        return (result.Response.StatusCode, endpoint.Reached);
    }

    private sealed class Endpoint : IOAuthEndpoint
    {
        public bool Reached { get; private set; }

        public EndpointStyle Style => EndpointStyle.Api;

        public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

        public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
        {
            Reached = true;
            return Task.FromResult(OAuthResponse.Empty(204));
        }
    }

    /// <summary>A form body of <c>a=xxx…</c> that counts the bytes the server takes from it.</summary>
    private sealed class CountingStream(int length) : Stream
    {
        private readonly MemoryStream _inner = new(Encoding.ASCII.GetBytes("a=" + new string('x', length - 2)));

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _inner.Length;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await _inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
