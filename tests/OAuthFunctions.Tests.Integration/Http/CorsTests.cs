using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// Browser apps (docs/BEHAVIOUR.md §12, Fetch standard §3.2): CORS on the token, revocation and metadata endpoints for
/// the origins clients allow, exactly; nowhere else, for nobody else; and a request from any other origin answered as
/// if it had no Origin at all.
/// </summary>
public sealed class CorsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string TokenPath = "/oauth2/access_token";
    private const string RevokePath = "/oauth2/revoke";
    private const string MetadataPath = "/.well-known/oauth-authorization-server";

    private readonly OAuthTestServer _server = fixture.Server;

    public static TheoryData<string, string> CorsEndpoints => new()
    {
        { TokenPath, "POST" },
        { RevokePath, "POST" },
        { MetadataPath, "GET" },
    };

    [Theory]
    [MemberData(nameof(CorsEndpoints))]
    public async Task Preflight_from_an_allowed_origin_is_answered_204_with_the_method_and_headers(string path, string method)
    {
        var origin = NewOrigin();
        await _server.AddClientAsync(ClientType.Public, allowedOrigins: [origin]);

        var response = await PreflightAsync(path, origin, method);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(method, Header(response, "Access-Control-Allow-Methods"));
        var headers = Header(response, "Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("Authorization", headers);
        Assert.Contains("Content-Type", headers);
        AssertVaryOrigin(response);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        OAuthAssert.NoStore(response);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(CorsEndpoints))]
    public async Task Preflight_from_an_origin_no_client_allows_gets_no_cors_headers_and_the_usual_answer(string path, string method)
    {
        var withoutOrigin = await SendAsync(HttpMethod.Options, path, origin: null);

        var response = await PreflightAsync(path, NewOrigin(), method);

        AssertNoCors(response);
        AssertVaryOrigin(response);
        Assert.Equal(withoutOrigin.StatusCode, response.StatusCode);
        Assert.Equal(await withoutOrigin.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_request_from_an_allowed_origin_is_readable_by_that_origin()
    {
        var origin = NewOrigin();
        var client = await _server.AddClientAsync(allowedOrigins: [origin]);

        var response = await SendAsync(HttpMethod.Post, TokenPath, origin, client, ("grant_type", "client_credentials"));

        await OAuthAssert.SuccessAsync(response);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        AssertVaryOrigin(response);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Metadata_from_an_allowed_origin_is_readable_and_from_another_is_not()
    {
        var origin = NewOrigin();
        await _server.AddClientAsync(ClientType.Public, allowedOrigins: [origin]);

        var allowed = await SendAsync(HttpMethod.Get, MetadataPath, origin);
        var other = await SendAsync(HttpMethod.Get, MetadataPath, NewOrigin());

        await OAuthAssert.SuccessAsync(allowed);
        Assert.Equal(origin, Header(allowed, "Access-Control-Allow-Origin"));
        await OAuthAssert.SuccessAsync(other);
        AssertNoCors(other);
        AssertVaryOrigin(allowed);
        AssertVaryOrigin(other);
    }

    [Fact]
    public async Task Revocation_from_an_allowed_origin_is_readable_by_that_origin()
    {
        var origin = NewOrigin();
        var client = await _server.AddClientAsync(ClientType.Public, allowedOrigins: [origin]);
        var user = await _server.AddUserAsync("cors-" + Guid.NewGuid().ToString("N")[..12], ServerExtensions.Password);
        using var http = _server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", ServerExtensions.Password)));

        var response = await SendAsync(HttpMethod.Post, RevokePath, origin, client, ("token", tokens.Str("access_token")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        AssertVaryOrigin(response);
    }

    [Theory]
    [InlineData("wrong secret", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("bad code", HttpStatusCode.BadRequest, "invalid_grant")]
    [InlineData("unknown client", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("no grant type", HttpStatusCode.BadRequest, "invalid_request")]
    public async Task Errors_are_readable_by_an_allowed_origin_so_the_app_can_show_them(string mistake, HttpStatusCode status, string error)
    {
        var origin = NewOrigin();
        var client = await _server.AddClientAsync(allowedOrigins: [origin]);
        var response = mistake switch
        {
            "wrong secret" => await SendAsync(HttpMethod.Post, TokenPath, origin, client with { Secret = "not-the-secret" }, ("grant_type", "client_credentials")),
            "bad code" => await SendAsync(HttpMethod.Post, TokenPath, origin, client, ("grant_type", "authorization_code"), ("code", "not-a-code"), ("redirect_uri", client.RedirectUri)),
            "unknown client" => await SendAsync(HttpMethod.Post, TokenPath, origin, null, ("grant_type", "client_credentials"), ("client_id", "no-such-client")),
            _ => await SendAsync(HttpMethod.Post, TokenPath, origin, null, ("client_id", client.ClientId)),
        };

        await OAuthAssert.ErrorAsync(response, status, error);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("WWW-Authenticate", Header(response, "Access-Control-Expose-Headers")!, StringComparison.Ordinal);
        AssertVaryOrigin(response);
    }

    [Fact]
    public async Task Request_from_an_origin_no_client_allows_is_answered_exactly_as_without_origin()
    {
        var client = await _server.AddClientAsync(allowedOrigins: [NewOrigin()]);
        (string, string)[] fields = [("grant_type", "urn:example:unknown")];

        var withoutOrigin = await SendAsync(HttpMethod.Post, TokenPath, null, client, fields);
        var fromElsewhere = await SendAsync(HttpMethod.Post, TokenPath, NewOrigin(), client, fields);

        await OAuthAssert.ErrorAsync(fromElsewhere, HttpStatusCode.BadRequest, "unsupported_grant_type");
        Assert.Equal(withoutOrigin.StatusCode, fromElsewhere.StatusCode);
        Assert.Equal(await withoutOrigin.Content.ReadAsStringAsync(), await fromElsewhere.Content.ReadAsStringAsync());
        AssertNoCors(fromElsewhere);
        AssertVaryOrigin(withoutOrigin);
    }

    /// <summary>
    /// The attack: a page on an origin one client allows preflights (which names no client, so it passes), then asks as
    /// another client, e.g. with that client's stolen refresh token. The request is answered, but not readable there.
    /// </summary>
    [Fact]
    public async Task Origin_allowed_for_one_client_cannot_read_the_answers_given_to_another()
    {
        var origin = NewOrigin();
        await _server.AddClientAsync(ClientType.Public, allowedOrigins: [origin]);
        var victim = await _server.AddClientAsync(allowedOrigins: [NewOrigin()]);

        var preflight = await PreflightAsync(TokenPath, origin, "POST");
        var token = await SendAsync(HttpMethod.Post, TokenPath, origin, victim, ("grant_type", "client_credentials"));
        var revoke = await SendAsync(HttpMethod.Post, RevokePath, origin, victim, ("token", "whatever"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        await OAuthAssert.SuccessAsync(token);
        AssertNoCors(token);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        AssertNoCors(revoke);
    }

    /// <summary>The attack: an origin that resembles an allowed one. Only the exact scheme, host and port count.</summary>
    [Theory]
    [InlineData("https://{host}.evil.example")]
    [InlineData("https://evil{host}")]
    [InlineData("http://{host}")]
    [InlineData("https://{host}:8443")]
    [InlineData("https://{host}:443")]
    [InlineData("https://{host}/")]
    [InlineData("HTTPS://{host}")]
    [InlineData("https://user@{host}")]
    [InlineData("null")]
    [InlineData("https://{host}, https://{host}")]
    public async Task Only_the_exact_origin_gets_cors(string lookalike)
    {
        var host = Guid.NewGuid().ToString("N")[..12] + ".example";
        var client = await _server.AddClientAsync(allowedOrigins: ["https://" + host]);
        var origin = lookalike.Replace("{host}", host, StringComparison.Ordinal);

        var preflight = await PreflightAsync(TokenPath, origin, "POST");
        var actual = await SendAsync(HttpMethod.Post, TokenPath, origin, client, ("grant_type", "client_credentials"));

        AssertNoCors(preflight);
        AssertNoCors(actual);
        await OAuthAssert.SuccessAsync(actual);
    }

    /// <summary>The attack: a row written straight into the table that allows <c>null</c>, which every sandboxed page sends.</summary>
    [Fact]
    public async Task Origin_null_is_never_allowed_even_when_stored()
    {
        await _server.AddClientAsync(ClientType.Public, allowedOrigins: ["null"]);

        var preflight = await PreflightAsync(TokenPath, "null", "POST");

        AssertNoCors(preflight);
    }

    [Theory]
    [InlineData("/oauth2/introspect", "POST")]
    [InlineData("/oauth2/login", "GET")]
    [InlineData("/oauth2/authorize", "GET")]
    [InlineData("/oauth2/authorize/confirm", "GET")]
    [InlineData("/oauth2/redirect", "GET")]
    [InlineData("/oauth2/logout", "POST")]
    public async Task Introspection_and_the_pages_never_answer_cross_origin(string path, string method)
    {
        var origin = NewOrigin();
        var client = await _server.AddClientAsync(allowedOrigins: [origin]);

        var preflight = await PreflightAsync(path, origin, method);
        var actual = await SendAsync(new HttpMethod(method), path, origin, method == "POST" ? client : null, ("token", "whatever"));

        Assert.NotEqual(HttpStatusCode.NoContent, preflight.StatusCode);
        AssertNoCors(preflight);
        AssertNoCors(actual);
    }

    [Fact]
    public async Task Removing_an_origin_ends_cors_for_it_at_once()
    {
        var origin = NewOrigin();
        var client = await _server.AddClientAsync(allowedOrigins: [origin]);
        var store = _server.Services.GetRequiredService<IClientStore>();
        Assert.Equal(HttpStatusCode.NoContent, (await PreflightAsync(TokenPath, origin, "POST")).StatusCode);

        var registered = await store.FindAsync(client.ClientId, CancellationToken.None);
        Assert.True(await store.UpdateAsync(registered! with { AllowedOrigins = [] }, CancellationToken.None));

        AssertNoCors(await PreflightAsync(TokenPath, origin, "POST"));
        AssertNoCors(await SendAsync(HttpMethod.Post, TokenPath, origin, client, ("grant_type", "client_credentials")));
    }

    private static string NewOrigin() => "https://spa-" + Guid.NewGuid().ToString("N")[..12] + ".example";

    private Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", method);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization,content-type");
        return SendAsync(request);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? origin, TestClient? client = null, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (method == HttpMethod.Post)
        {
            var credentials = client is { Secret: null } ? [("client_id", client.ClientId)] : Array.Empty<(string, string)>();
            request.Content = new FormUrlEncodedContent([.. credentials.Concat(fields).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]);
            if (client is { Secret: { } secret })
            {
                request.Headers.Authorization = OAuthTestServer.Basic(client.ClientId, secret);
            }
        }

        return SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var http = _server.CreateClient();
        using (request)
        {
            return await http.SendAsync(request);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static void AssertNoCors(HttpResponseMessage response)
    {
        foreach (var name in new[] { "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers" })
        {
            Assert.Null(Header(response, name));
        }
    }

    /// <summary>Fetch standard §3.2 ("CORS protocol and HTTP caches"): the answer depends on Origin, so it says so.</summary>
    private static void AssertVaryOrigin(HttpResponseMessage response) =>
        Assert.Contains("Origin", response.Headers.Vary);
}
