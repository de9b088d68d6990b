using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Which origin may read an answer (docs/BEHAVIOUR.md §12), decided without a host.</summary>
public sealed class CorsPolicyTests
{
    private const string AppOrigin = "https://app.example";
    private const string OtherOrigin = "https://other.example";

    private readonly CorsPolicy _policy = new(new InMemoryClientStore(
        TestClients.Public() with { AllowedOrigins = [AppOrigin] },
        TestClients.Confidential() with { AllowedOrigins = [OtherOrigin] }));

    [Fact]
    public async Task A_preflight_passes_for_an_origin_any_client_allows()
    {
        Assert.Equal(AppOrigin, await DecideAsync(CorsAccess.ClientPost, Preflight(AppOrigin)));
        Assert.Equal(OtherOrigin, await DecideAsync(CorsAccess.ClientPost, Preflight(OtherOrigin)));
        Assert.Null(await DecideAsync(CorsAccess.ClientPost, Preflight("https://third.example")));
    }

    [Fact]
    public async Task The_actual_request_is_decided_by_the_client_it_names_in_the_body()
    {
        var request = Post(AppOrigin, ("client_id", TestClients.PublicId));
        var foreign = Post(OtherOrigin, ("client_id", TestClients.PublicId));

        Assert.Equal(AppOrigin, await DecideAsync(CorsAccess.ClientPost, request));
        Assert.Null(await DecideAsync(CorsAccess.ClientPost, foreign));
    }

    [Fact]
    public async Task The_actual_request_is_decided_by_the_client_it_names_with_http_basic()
    {
        var basic = "Basic " + Convert.ToBase64String("confidential-client:wrong"u8.ToArray());

        Assert.Equal(OtherOrigin, await DecideAsync(CorsAccess.ClientPost, WithAuthorization(Post(OtherOrigin), basic)));
        Assert.Null(await DecideAsync(CorsAccess.ClientPost, WithAuthorization(Post(AppOrigin), basic)));
    }

    [Fact]
    public async Task A_request_naming_no_registered_client_falls_back_to_any_client()
    {
        Assert.Equal(AppOrigin, await DecideAsync(CorsAccess.ClientPost, Post(AppOrigin, ("client_id", "nobody"))));
        Assert.Equal(AppOrigin, await DecideAsync(CorsAccess.ClientPost, Post(AppOrigin)));
        Assert.Null(await DecideAsync(CorsAccess.ClientPost, Post("https://third.example")));
    }

    [Fact]
    public async Task Endpoints_without_cors_never_get_an_origin() =>
        Assert.Null(await DecideAsync(CorsAccess.None, Preflight(AppOrigin)));

    [Fact]
    public void A_preflight_answer_allows_the_endpoints_method_and_never_credentials()
    {
        var post = CorsPolicy.Preflight(CorsAccess.ClientPost, AppOrigin);
        var get = CorsPolicy.Preflight(CorsAccess.PublicGet, AppOrigin);

        Assert.Equal(204, post.StatusCode);
        Assert.Equal("POST", post.Headers["Access-Control-Allow-Methods"]);
        Assert.Equal("GET", get.Headers["Access-Control-Allow-Methods"]);
        Assert.Equal(AppOrigin, post.Headers["Access-Control-Allow-Origin"]);
        Assert.False(post.Headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public void Every_answer_of_a_cors_endpoint_varies_by_origin_and_none_of_another()
    {
        var refused = OAuthResponse.Empty(400);
        var page = OAuthResponse.Empty(200);

        CorsPolicy.Decorate(refused, CorsAccess.ClientPost, allowedOrigin: null);
        CorsPolicy.Decorate(page, CorsAccess.None, allowedOrigin: null);

        Assert.Equal("Origin", refused.Headers["Vary"]);
        Assert.False(refused.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.Empty(page.Headers);
    }

    private Task<string?> DecideAsync(CorsAccess access, OAuthRequest request) =>
        _policy.AllowedOriginAsync(access, request, CancellationToken.None);

    private static OAuthRequest Preflight(string origin) => new()
    {
        Method = "OPTIONS",
        Origin = "https://login.example",
        OriginHeader = origin,
        AccessControlRequestMethod = "POST",
    };

    private static OAuthRequest Post(string origin, params (string Name, string Value)[] fields) => new()
    {
        Method = "POST",
        Origin = "https://login.example",
        OriginHeader = origin,
        HasFormBody = true,
        Form = fields.ToDictionary(f => f.Name, f => new Microsoft.Extensions.Primitives.StringValues(f.Value), StringComparer.Ordinal),
    };

    private static OAuthRequest WithAuthorization(OAuthRequest request, string authorization) => new()
    {
        Method = request.Method,
        Origin = request.Origin,
        OriginHeader = request.OriginHeader,
        HasFormBody = true,
        Form = request.Form,
        Authorization = authorization,
    };
}
