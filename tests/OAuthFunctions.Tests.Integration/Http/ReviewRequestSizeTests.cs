using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// A reviewer's attack on the request-size limits (issue 10) on every POST endpoint: many parameters, long names,
/// multipart, gzip, exactly at the limit and one byte over it, and query strings counted in characters versus bytes.
/// Every answer must be the endpoint's usual answer to a form it cannot use, quickly, never a 500 or a stack trace.
/// </summary>
public sealed class ReviewRequestSizeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Limit = 64 * 1024;
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);
    private readonly OAuthTestServer _server = fixture.Server;

    public static TheoryData<string> PostEndpoints =>
    [
        "/oauth2/access_token", "/oauth2/revoke", "/oauth2/introspect", "/oauth2/login", "/oauth2/authorize/confirm", "/oauth2/logout", "/oauth2/authorize",
    ];

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task Two_thousand_parameters_are_no_500(string path)
    {
        var form = string.Join('&', Enumerable.Range(0, 2000).Select(i => $"p{i}=1"));

        await AssertClientErrorAsync(path, await PostAsync(path, Encoding.ASCII.GetBytes(form), "application/x-www-form-urlencoded"));
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_parameter_name_of_10_KiB_is_no_500(string path) =>
        await AssertClientErrorAsync(path, await PostAsync(path, Encoding.ASCII.GetBytes(new string('k', 10 * 1024) + "=v"), "application/x-www-form-urlencoded"));

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_chunked_multipart_body_of_1_MiB_is_answered_at_once_without_a_500(string path)
    {
        var boundary = "review";
        var body = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\n{new string('x', 1024 * 1024)}\r\n--{boundary}--\r\n");
        using var http = _server.CreateClient();
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var clock = Stopwatch.StartNew();
        var response = await http.SendAsync(request);

        await AssertClientErrorAsync(path, response);
        Assert.True(clock.Elapsed < Quickly, $"Answered in {clock.Elapsed}.");
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_gzip_bomb_is_never_inflated(string path)
    {
        // 64 MiB of form that compresses to well under the limit: the server must not decompress it.
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1024 * 1024));
            for (var i = 0; i < 64; i++)
            {
                await gzip.WriteAsync(chunk);
            }
        }

        Assert.True(compressed.Length < Limit, $"{compressed.Length} bytes compressed.");
        using var http = _server.CreateClient();
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        content.Headers.ContentEncoding.Add("gzip");

        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync(path, content);

        await AssertClientErrorAsync(path, response);
        Assert.True(clock.Elapsed < Quickly, $"Answered in {clock.Elapsed}.");
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_form_of_exactly_64_KiB_is_read_on_every_endpoint(string path)
    {
        var response = await PostAsync(path, Encoding.ASCII.GetBytes("pad=" + new string('x', Limit - 4)), "application/x-www-form-urlencoded");

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_form_one_byte_over_64_KiB_is_413_on_every_endpoint(string path)
    {
        var response = await PostAsync(path, Encoding.ASCII.GetBytes("pad=" + new string('x', Limit - 3)), "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        OAuthAssert.NoLeak(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task A_form_declared_as_utf_7_is_no_500(string path)
    {
        // Encoding.GetEncoding("utf-7") throws NotSupportedException on .NET 5+, which MediaTypeHeaderValue.Encoding
        // (read by ReadFormAsync) does not catch, and which HttpRequestAdapter does not count as a malformed form.
        var body = Encoding.ASCII.GetBytes("grant_type=client_credentials&client_id=x&client_secret=y");

        await AssertClientErrorAsync(path, await PostAsync(path, body, "application/x-www-form-urlencoded; charset=utf-7"), clientAuthenticated: true);
    }

    [Theory]
    [InlineData("/oauth2/access_token", "utf-16")]
    [InlineData("/oauth2/access_token", "utf-32")]
    [InlineData("/oauth2/access_token", "x-no-such-charset")]
    [InlineData("/oauth2/access_token", "ibm037")]
    [InlineData("/oauth2/login", "utf-16")]
    [InlineData("/oauth2/introspect", "utf-32")]
    public async Task A_form_in_another_odd_charset_is_no_500(string path, string charset)
    {
        var body = Encoding.ASCII.GetBytes("grant_type=client_credentials&client_id=x&client_secret=y&pad=" + new string('z', 1000));

        await AssertClientErrorAsync(path, await PostAsync(path, body, "application/x-www-form-urlencoded; charset=" + charset), clientAuthenticated: true);
    }

    [Fact]
    public async Task A_query_of_exactly_8_KiB_of_percent_encoded_multi_byte_characters_still_works()
    {
        // "é" is %C3%A9: 6 characters, 2 bytes of UTF-8. "x=" and 1,365 of them make 8,192.
        var query = "x=" + string.Concat(Enumerable.Repeat("%C3%A9", 1365));
        Assert.Equal(8 * 1024, query.Length);
        using var http = _server.CreateClient();

        await OAuthAssert.SuccessAsync(await http.GetAsync("/.well-known/oauth-authorization-server?" + query));
        var over = await http.GetAsync("/.well-known/oauth-authorization-server?" + query + "c");
        Assert.Equal(HttpStatusCode.RequestUriTooLong, over.StatusCode);
    }

    [Fact]
    public async Task A_query_of_raw_utf8_bytes_over_8_KiB_is_not_accepted()
    {
        // The limit counts characters of the query as the server decoded it; raw UTF-8 in the request line (which
        // HttpClient never sends, so a raw socket) is 2 bytes per "é": 12 KiB on the wire.
        var query = "x=" + new string('é', 6 * 1024);
        var status = await RawGetStatusAsync("/.well-known/oauth-authorization-server?" + query);

        Assert.True(status is 400 or 414, $"A 12 KiB query answered {status}.");
    }

    [Fact]
    public async Task A_body_on_a_get_is_bounded_as_well()
    {
        using var http = _server.CreateClient();
        using var content = new ByteArrayContent(new byte[Limit + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/oauth2/login") { Content = content };

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType)
    {
        using var http = _server.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await http.PostAsync(path, content);
    }

    /// <summary>
    /// The token, revocation and introspection endpoints answer 400 <c>invalid_request</c>; the pages answer as they do
    /// to any unusable form (a page, or a redirect to the login page), but never 5xx.
    /// </summary>
    private static async Task AssertClientErrorAsync(string path, HttpResponseMessage response, bool clientAuthenticated = false)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (path is "/oauth2/access_token" or "/oauth2/revoke" or "/oauth2/introspect")
        {
            // A form that was read (in some charset) reaches client authentication: 401 invalid_client is right then.
            var expected = clientAuthenticated && response.StatusCode == HttpStatusCode.Unauthorized ? "invalid_client" : "invalid_request";
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest || expected == "invalid_client", $"{path}: {(int)response.StatusCode} {body}");
            Assert.Contains($"\"{expected}\"", body, StringComparison.Ordinal);
        }

        Assert.True((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode} {body}");
        OAuthAssert.NoStore(response);
        OAuthAssert.NoLeak(body);
    }

    private async Task<int> RawGetStatusAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var head = Encoding.UTF8.GetBytes($"GET {target} HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? string.Empty;
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
