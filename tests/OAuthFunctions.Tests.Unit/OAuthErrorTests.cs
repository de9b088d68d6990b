using System.Reflection;
using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Errors as values: the one code → status map, and fixed, safe descriptions (RFC 6749 §5.2).</summary>
public sealed class OAuthErrorTests
{
    public static TheoryData<string> ErrorNames => [.. AllErrors().Select(e => e.Name)];

    public static TheoryData<string> BadRequestCodes =>
    [
        OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidGrant, OAuthErrorCodes.UnauthorizedClient,
        OAuthErrorCodes.UnsupportedGrantType, OAuthErrorCodes.UnsupportedResponseType, OAuthErrorCodes.InvalidScope,
        OAuthErrorCodes.AccessDenied, OAuthErrorCodes.UnsupportedTokenType, OAuthErrorCodes.InvalidData,
    ];

    [Fact]
    public void Invalid_client_is_401() => Assert.Equal(401, new OAuthError(OAuthErrorCodes.InvalidClient, "Description.").StatusCode);

    [Fact]
    public void Server_error_is_500() => Assert.Equal(500, new OAuthError(OAuthErrorCodes.ServerError, "Description.").StatusCode);

    [Fact]
    public void Temporarily_unavailable_is_503() =>
        Assert.Equal(503, new OAuthError(OAuthErrorCodes.TemporarilyUnavailable, "Description.").StatusCode);

    [Theory]
    [MemberData(nameof(BadRequestCodes))]
    public void Every_other_code_is_400(string code) => Assert.Equal(400, new OAuthError(code, "Description.").StatusCode);

    [Fact]
    public void Every_error_maps_to_the_status_of_its_code()
    {
        // Errors about the request's size keep their HTTP status (RequestLimitErrorTests), as does a wrong method (EndpointMethodsTests).
        Assert.All(AllErrors().Where(e => e.Error != OAuthErrors.BodyTooLarge && e.Error != OAuthErrors.QueryTooLong && e.Error != OAuthErrors.MethodNotAllowed), e => Assert.Equal(
            e.Error.Code switch
            {
                OAuthErrorCodes.InvalidClient => 401,
                OAuthErrorCodes.InvalidToken => 401,
                OAuthErrorCodes.InsufficientScope => 403,
                OAuthErrorCodes.ServerError => 500,
                OAuthErrorCodes.TemporarilyUnavailable => 503,
                _ => 400,
            },
            e.Error.StatusCode));
    }

    [Theory]
    [MemberData(nameof(ErrorNames))]
    public void Description_uses_only_the_rfc6749_error_description_characters(string name)
    {
        var description = Find(name).Description;

        // RFC 6749 §5.2: error-description = 1*( %x20-21 / %x23-5B / %x5D-7E ).
        Assert.All(description, c => Assert.True(c is (>= '\x20' and <= '\x21') or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'), $"'{c}' in {name}"));
    }

    [Theory]
    [MemberData(nameof(ErrorNames))]
    public void Description_is_not_empty(string name) => Assert.False(string.IsNullOrWhiteSpace(Find(name).Description));

    [Theory]
    [MemberData(nameof(ErrorNames))]
    public void Code_is_a_known_constant(string name)
    {
        var codes = typeof(OAuthErrorCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.Contains(Find(name).Code, codes);
    }

    [Fact]
    public void Codes_use_only_the_rfc6749_error_characters()
    {
        var codes = typeof(OAuthErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

        // RFC 6749 §5.2: error = 1*( %x20-21 / %x23-5B / %x5D-7E ); registered codes are lower-case with underscores.
        Assert.All(codes, code => Assert.Matches("^[a-z_]+$", code));
    }

    [Fact]
    public void There_are_errors_to_check() => Assert.True(AllErrors().Count() > 20);

    private static OAuthError Find(string name) => AllErrors().Single(e => e.Name == name).Error;

    private static IEnumerable<(string Name, OAuthError Error)> AllErrors() =>
        typeof(OAuthErrors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(OAuthError))
            .Select(f => (f.Name, (OAuthError)f.GetValue(null)!));
}
