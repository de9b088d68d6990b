using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Tests.Unit;

/// <summary>JSON escapes what RFC 8259 §7 requires, and nothing for show (docs/BEHAVIOUR.md §9).</summary>
public sealed class JsonEscapingTests
{
    [Fact]
    public void Apostrophes_plus_signs_and_non_ascii_are_written_as_they_are()
    {
        var json = JsonEscaping.Serialize(new ErrorBody("invalid_request", "It's +00:00 à Zürich"), OAuthJsonContext.Default.ErrorBody);

        Assert.Equal("""{"error":"invalid_request","error_description":"It's +00:00 à Zürich"}""", json);
    }

    [Fact]
    public void Quotes_backslashes_and_control_characters_are_still_escaped()
    {
        var json = JsonEscaping.Serialize(new ErrorBody("x", "a\"b\\c\nd\u0001"), OAuthJsonContext.Default.ErrorBody);

        Assert.Equal("""{"error":"x","error_description":"a\"b\\c\nd\u0001"}""", json);
    }

    [Fact]
    public void Error_responses_carry_nosniff()
    {
        var response = OAuthResponse.Error(OAuthErrors.MissingGrantType);

        Assert.Equal("nosniff", response.Headers["X-Content-Type-Options"]);
        Assert.Contains("'grant_type'", response.Body, StringComparison.Ordinal);
    }
}
