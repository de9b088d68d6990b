using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Tests.Unit;

/// <summary>The one answer to a method an endpoint does not serve (RFC 9110 §15.5.6; docs/BEHAVIOUR.md §1).</summary>
public sealed class EndpointMethodsTests
{
    [Fact]
    public void A_served_method_is_not_refused() =>
        Assert.Null(EndpointMethods.Refuse(new Endpoint(EndpointStyle.Api, EndpointMethods.Post), "POST"));

    [Fact]
    public void Get_on_a_post_only_api_endpoint_is_the_original_400() =>
        Assert.Same(OAuthErrors.OnlyPost, EndpointMethods.Refuse(new Endpoint(EndpointStyle.Api, EndpointMethods.Post), "GET"));

    [Theory]
    [InlineData(EndpointStyle.Api, "PUT")]
    [InlineData(EndpointStyle.Page, "GET")]
    public void Any_other_refusal_is_405_invalid_request(EndpointStyle style, string method)
    {
        var error = EndpointMethods.Refuse(new Endpoint(style, EndpointMethods.Post), method);

        Assert.Same(OAuthErrors.MethodNotAllowed, error);
        Assert.Equal(405, error!.StatusCode);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public void Allow_lists_the_methods_served() =>
        Assert.Equal("GET, POST", EndpointMethods.Allow(new Endpoint(EndpointStyle.Page, EndpointMethods.GetAndPost)));

    private sealed class Endpoint(EndpointStyle style, IReadOnlyList<string> methods) : IOAuthEndpoint
    {
        public EndpointStyle Style => style;

        public IReadOnlyList<string> Methods => methods;

        public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken) => Task.FromResult(OAuthResponse.Empty(204));
    }
}
