using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Http;
using OAuthFunctions.Testing.Contracts;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// The Functions host builds an invocation's binding data from the JSON body and the query string before it adds the
/// real headers, and the worker looks names up ignoring case. So <c>?headers={…}</c>, or a body that is JSON and a form
/// at once, replaces the "Headers" entry with whatever the client wrote. None of it may decide who the client is:
/// the address the login throttle counts, the scheme <c>EnforceSecure</c> checks, the host the issuer follows.
/// </summary>
public sealed class ForgedBindingDataTests
{
    private const string Client = "198.51.100.7";
    private const string Forged = "203.0.113.66";
    private const string ForgedHeaders = "{\"X-Forwarded-For\":\"" + Forged + "\",\"X-Forwarded-Proto\":\"https\",\"X-ARR-SSL\":\"forged\",\"Host\":\"evil.example\"}";

    [Fact]
    public async Task Forged_headers_in_the_query_string_move_neither_address_nor_scheme_nor_host()
    {
        var host = FunctionsHostModel.HostRequest(
            "POST", "/oauth2/login?headers=" + Uri.EscapeDataString(ForgedHeaders), Client, "http", "login.example.com",
            "username=alice&password=guess", "application/x-www-form-urlencoded");
        var bindingData = FunctionsHostModel.BindingData(host, "username=alice&password=guess");

        // The premise: the worker really receives the forged entry under the name "Headers".
        Assert.Equal(ForgedHeaders, bindingData["Headers"]);

        var seen = await RunAsync(host, bindingData);

        Assert.Equal(Client, seen.RemoteAddress);
        Assert.False(seen.IsSecure);
        Assert.Equal("http://login.example.com", seen.Origin);
    }

    [Fact]
    public async Task Forged_headers_in_a_json_body_move_neither_address_nor_scheme_nor_host()
    {
        // Valid JSON, and a valid form whose fields are the JSON's text split at '&' and '='.
        var body = "{\"Headers\":" + ForgedHeaders + ",\"x\":\"&username=alice&password=guess&y=\"}";
        var host = FunctionsHostModel.HostRequest("POST", "/oauth2/login", Client, "http", "login.example.com", body, "application/x-www-form-urlencoded");
        var bindingData = FunctionsHostModel.BindingData(host, body);
        Assert.Contains(Forged, (string)bindingData["Headers"]!, StringComparison.Ordinal);

        var seen = await RunAsync(host, bindingData);

        Assert.Equal(Client, seen.RemoteAddress);
        Assert.False(seen.IsSecure);
        Assert.Equal("http://login.example.com", seen.Origin);
        Assert.Equal("alice", seen.Form["username"].ToString());
    }

    [Fact]
    public async Task The_functions_host_view_of_the_client_reaches_the_endpoint()
    {
        // On Azure the host sees HTTPS (the front end's X-Forwarded-Proto, applied by the host) and the public host name.
        var host = FunctionsHostModel.HostRequest("GET", "/.well-known/oauth-authorization-server", Client, "https", "login.example.com");

        var seen = await RunAsync(host, FunctionsHostModel.BindingData(host, body: null));

        Assert.Equal(Client, seen.RemoteAddress);
        Assert.True(seen.IsSecure);
        Assert.Equal("https://login.example.com", seen.Origin);
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

    /// <summary>An endpoint that keeps the request the runner built.</summary>
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
