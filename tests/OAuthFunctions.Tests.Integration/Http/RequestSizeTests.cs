using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// How much a request may carry: a form body of at most 64 KiB and a query string of at most 8 KiB. Beyond that every
/// endpoint answers 413 or 414 with its usual error shape (the JSON <c>invalid_request</c>, or the error page) at once,
/// without reading the rest of the body.
/// </summary>
public sealed class RequestSizeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Limit = 64 * 1024;
    private const int MiB = 1024 * 1024;
    private const string TooLarge = "The request body is too large.";
    private const string QueryTooLong = "The query string is too long.";
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);
    private readonly OAuthTestServer _server = fixture.Server;

    public static TheoryData<string, bool> PostEndpoints => new()
    {
        { "/oauth2/access_token", true },
        { "/oauth2/revoke", true },
        { "/oauth2/introspect", true },
        { "/oauth2/login", false },
        { "/oauth2/authorize/confirm", false },
        { "/oauth2/logout", false },
        { "/oauth2/authorize", false },
    };

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_1_MiB_form_is_refused_with_413_at_once(string path, bool json)
    {
        using var http = _server.CreateClient();
        using var content = new ByteArrayContent(Form(MiB));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync(path, content);
        clock.Stop();

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, json, TooLarge);
        Assert.True(clock.Elapsed < Quickly, $"Answered in {clock.Elapsed}.");
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_1_MiB_chunked_form_is_refused_with_413_at_once(string path, bool json)
    {
        using var http = _server.CreateClient();
        using var content = new StreamContent(new UnknownLengthStream(Form(MiB)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var clock = Stopwatch.StartNew();
        var response = await http.SendAsync(request);
        clock.Stop();

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, json, TooLarge);
        Assert.True(clock.Elapsed < Quickly, $"Answered in {clock.Elapsed}.");
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_is_refused_whatever_its_type()
    {
        using var http = _server.CreateClient();
        using var content = new ByteArrayContent(new byte[Limit + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await http.PostAsync("/oauth2/access_token", content);

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, json: true, TooLarge);
    }

    [Fact]
    public async Task A_form_of_exactly_64_KiB_still_works()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        using var content = new ByteArrayContent(Form(Limit, ("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", client.Secret!)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        Assert.Equal(Limit, content.Headers.ContentLength);

        await OAuthAssert.SuccessAsync(await http.PostAsync("/oauth2/access_token", content));
    }

    [Fact]
    public async Task A_chunked_form_of_exactly_64_KiB_still_works()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        using var content = new StreamContent(new MemoryStream(Form(Limit, ("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", client.Secret!))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/access_token") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await OAuthAssert.SuccessAsync(await http.SendAsync(request));
    }

    [Fact]
    public async Task A_chunked_form_one_byte_over_the_limit_is_refused()
    {
        using var http = _server.CreateClient();
        using var content = new StreamContent(new MemoryStream(Form(Limit + 1)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/revoke") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await AssertRefusedAsync(await http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, json: true, TooLarge);
    }

    /// <remarks>Each endpoint is asked with a method it serves: a wrong one is refused first, before any size check.</remarks>
    [Theory]
    [InlineData("POST", "/oauth2/access_token", true)]
    [InlineData("GET", "/.well-known/oauth-authorization-server", true)]
    [InlineData("GET", "/oauth2/redirect", true)]
    [InlineData("GET", "/oauth2/authorize", false)]
    [InlineData("GET", "/oauth2/authorize/confirm", false)]
    [InlineData("GET", "/oauth2/login", false)]
    public async Task A_query_string_over_8_KiB_is_refused_with_414(string method, string path, bool json)
    {
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?state=" + new string('a', 8 * 1024));

        var response = await http.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.RequestUriTooLong, json, QueryTooLong);
    }

    [Fact]
    public async Task A_query_string_of_exactly_8_KiB_still_works()
    {
        using var http = _server.CreateClient();

        var response = await http.GetAsync("/.well-known/oauth-authorization-server?x=" + new string('a', (8 * 1024) - 2));

        await OAuthAssert.SuccessAsync(response);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, bool json, string description)
    {
        if (json)
        {
            var error = await OAuthAssert.ErrorAsync(response, status, "invalid_request");
            Assert.Equal(description, error.Str("error_description"));
            return;
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(description, body, StringComparison.Ordinal);
        OAuthAssert.NoStore(response);
        OAuthAssert.NoLeak(body);
    }

    /// <summary>An urlencoded form of exactly <paramref name="length"/> bytes: the fields, then padding.</summary>
    private static byte[] Form(int length, params (string Name, string Value)[] fields)
    {
        var form = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value)));
        var prefix = (form.Length == 0 ? string.Empty : form + "&") + "pad=";
        return Encoding.ASCII.GetBytes(prefix + new string('x', length - prefix.Length));
    }

    /// <summary>A body of unknown length, so that the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

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
