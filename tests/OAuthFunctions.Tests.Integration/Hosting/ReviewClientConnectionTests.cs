using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Http;
using OAuthFunctions.Testing.Contracts;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// A reviewer's attempts to move the client's address, scheme or host (issue 10) through every route: binding data
/// names in any case, from the query string and from a JSON body; X-Forwarded-* with 0, 1 and 2 trusted hops, IPv6
/// and IPv4-mapped forms, ports, several header lines and garbage. These document what holds.
/// </summary>
public sealed class ReviewClientConnectionTests
{
    private const string Client = "198.51.100.7";
    private const string Forged = "203.0.113.66";

    public static TheoryData<string> BindingNames => ["headers", "HEADERS", "hEaDeRs", "Headers"];

    [Theory]
    [MemberData(nameof(BindingNames))]
    public async Task Forged_headers_under_any_spelling_in_the_query_move_nothing(string name)
    {
        var forged = "{\"X-Forwarded-For\":\"" + Forged + "\",\"X-Forwarded-Proto\":\"https\",\"X-Forwarded-Host\":\"evil.example\",\"Host\":\"evil.example\"}";
        var host = FunctionsHostModel.HostRequest("GET", "/oauth2/login?" + name + "=" + Uri.EscapeDataString(forged) + "&X-Forwarded-For=" + Forged, Client, "http", "login.example.com");
        var bindingData = FunctionsHostModel.BindingData(host, body: null);
        Assert.Equal(forged, bindingData["Headers"]);

        var seen = await RunAsync(host, bindingData);

        AssertUnmoved(seen);
    }

    [Theory]
    [MemberData(nameof(BindingNames))]
    public async Task Forged_headers_under_any_spelling_in_a_json_body_move_nothing(string name)
    {
        var body = "{\"" + name + "\":{\"X-Forwarded-For\":\"" + Forged + "\",\"X-Forwarded-Proto\":\"https\",\"Host\":\"evil.example\"},\"X-Forwarded-For\":\"" + Forged + "\",\"x\":\"&username=alice&password=guess&y=\"}";
        var host = FunctionsHostModel.HostRequest("POST", "/oauth2/login", Client, "http", "login.example.com", body, "application/x-www-form-urlencoded");
        var bindingData = FunctionsHostModel.BindingData(host, body);
        Assert.Contains(Forged, (string)bindingData["Headers"]!, StringComparison.Ordinal);

        var seen = await RunAsync(host, bindingData);

        AssertUnmoved(seen);
    }

    [Theory]
    [InlineData(0, Client)]
    [InlineData(1, Client)]
    [InlineData(2, Client)]
    public async Task Headers_a_client_sends_through_the_functions_host_move_nothing_whatever_the_hops(int hops, string expected)
    {
        var host = FunctionsHostModel.HostRequest("GET", "/oauth2/login", Client, "http", "login.example.com");
        host.Headers["X-Forwarded-For"] = new(["10.0.0.1, " + Forged, Forged]);
        host.Headers["X-Forwarded-Proto"] = "https";
        host.Headers["X-Forwarded-Host"] = "evil.example";
        host.Headers["Forwarded"] = "for=" + Forged + ";proto=https;host=evil.example";

        var worker = await FunctionsHostModel.WorkerRequestAsync(host);
        var connection = ClientConnection.Of(worker, hops);

        Assert.Equal(expected, connection.Address);
        Assert.False(connection.IsHttps);
        Assert.Equal("login.example.com", connection.Host);
    }

    [Theory]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("[::ffff:203.0.113.9]:443", "203.0.113.9")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("[2001:db8:1:2:ffff::1]:8080", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%2", "fe80::/64")]
    public void Every_spelling_of_one_client_is_counted_as_one_address(string forwardedFor, string throttleKey)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.Equal(throttleKey, LoginThrottle.KeyOf(ClientConnection.Of(request, trustedHops: 1).Address));
    }

    [Theory]
    [InlineData("")]
    [InlineData(",,,")]
    [InlineData("not-an-address")]
    [InlineData("999.1.1.1")]
    [InlineData("203.0.113.9:99999")]
    [InlineData("<script>")]
    public void Garbage_from_a_trusted_hop_leaves_the_connection_address(string forwardedFor)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.Equal("192.0.2.10", ClientConnection.Of(request, trustedHops: 1).Address);
    }

    [Fact]
    public void A_forged_header_line_before_the_trusted_proxys_line_is_not_believed()
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = new([Forged, "10.1.1.1, 198.51.100.7"]);

        Assert.Equal(Client, ClientConnection.Of(request, trustedHops: 1).Address);
        Assert.Equal("10.1.1.1", ClientConnection.Of(request, trustedHops: 2).Address);
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData("HTTPS", true)]
    [InlineData("https, http", false)]
    [InlineData("http, https", true)]
    [InlineData("wss", false)]
    [InlineData("javascript", false)]
    [InlineData("", false)]
    public void Only_the_trusted_hops_scheme_counts(string proto, bool https)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-Proto"] = proto;

        Assert.Equal(https, ClientConnection.Of(request, trustedHops: 1).IsHttps);
        Assert.False(ClientConnection.Of(request, trustedHops: 0).IsHttps);
    }

    [Theory]
    [InlineData("evil.example:99999")]
    [InlineData("evil example")]
    [InlineData("evil.example\\x")]
    [InlineData("evil.example#x")]
    [InlineData("evil.example?x")]
    [InlineData("")]
    [InlineData("evil.example:443:1")]
    public void A_host_that_is_not_host_and_port_is_ignored(string forwardedHost)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-Host"] = forwardedHost;

        Assert.Equal("127.0.0.1:5555", ClientConnection.Of(request, trustedHops: 1).Host);
    }

    [Fact]
    public void With_hops_set_a_client_that_reaches_the_process_directly_chooses_its_address()
    {
        // Documented (ARCHITECTURE.md, "Who the client is": proxies "that clients cannot go around"), but nothing checks
        // it: no list of proxy addresses, so with ForwardedHops = 1 a client that bypasses the proxy picks its throttle
        // bucket. ASP.NET Core's ForwardedHeadersMiddleware requires the connection to come from a KnownProxy.
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = Forged;

        Assert.Equal(Forged, ClientConnection.Of(request, trustedHops: 1).Address);
    }

    private static void AssertUnmoved(OAuthRequest seen)
    {
        Assert.Equal(Client, seen.RemoteAddress);
        Assert.False(seen.IsSecure);
        Assert.Equal("http://login.example.com", seen.Origin);
    }

    private static async Task<OAuthRequest> RunAsync(HttpRequest host, Dictionary<string, object?> bindingData)
    {
        var worker = await FunctionsHostModel.WorkerRequestAsync(host);
        var options = new OAuthOptions();
        var runner = new EndpointRunner(options, new PageRenderer(options), new CorsPolicy(new InMemoryClientStore()), NullLogger<EndpointRunner>.Instance);
        var endpoint = new RecordingEndpoint();
        await runner.RunAsync(endpoint, worker, FunctionsHostModel.Invocation(bindingData));
        return endpoint.Seen ?? throw new InvalidOperationException("The endpoint was not called.");
    }

    private sealed class RecordingEndpoint : IOAuthEndpoint
    {
        public OAuthRequest? Seen { get; private set; }

        public EndpointStyle Style => EndpointStyle.Page;

        public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

        public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
        {
            Seen = request;
            return Task.FromResult(OAuthResponse.Empty(204));
        }
    }
}
