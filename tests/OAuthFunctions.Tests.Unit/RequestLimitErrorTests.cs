using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// A request too large to read is an <c>invalid_request</c> that keeps its HTTP status: 413 for the body (RFC 9110
/// §15.5.14), 414 for the query string (§15.5.15).
/// </summary>
public sealed class RequestLimitErrorTests
{
    [Fact]
    public void Body_too_large_is_invalid_request_with_413()
    {
        Assert.Equal(OAuthErrorCodes.InvalidRequest, OAuthErrors.BodyTooLarge.Code);
        Assert.Equal(413, OAuthErrors.BodyTooLarge.StatusCode);
        Assert.Equal(413, OAuthResponse.Error(OAuthErrors.BodyTooLarge).StatusCode);
    }

    [Fact]
    public void Query_too_long_is_invalid_request_with_414()
    {
        Assert.Equal(OAuthErrorCodes.InvalidRequest, OAuthErrors.QueryTooLong.Code);
        Assert.Equal(414, OAuthErrors.QueryTooLong.StatusCode);
        Assert.Equal(414, OAuthResponse.Error(OAuthErrors.QueryTooLong).StatusCode);
    }
}
