using OAuthFunctions.Core.Endpoints.Authorization;

namespace OAuthFunctions.Tests.Unit;

/// <summary>The login page's <c>next</c> is a local path only: no open redirect (docs/BEHAVIOUR.md §5).</summary>
public sealed class LocalPathTests
{
    [Theory]
    [InlineData("/oauth2/authorize?x=1")]
    [InlineData("/")]
    [InlineData("/oauth2/authorize?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fc.example%2Fcb")]
    public void Local_path_is_accepted(string next) => Assert.True(LocalPath.IsLocal(next));

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("//evil.example/oauth2/authorize")]
    [InlineData("/\\evil.example")]
    [InlineData("/oauth2\\..\\evil")]
    [InlineData("https://evil.example")]
    [InlineData("http://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("")]
    [InlineData(" /oauth2/authorize")]
    [InlineData("/oauth2/authorize\r\nSet-Cookie: x=1")]
    [InlineData("/oauth2/\tauthorize")]
    [InlineData("/oauth2/authorize\0")]
    [InlineData("/\u0085evil")]
    public void Non_local_or_unsafe_target_is_refused(string next) => Assert.False(LocalPath.IsLocal(next));

    [Fact]
    public void Null_is_refused() => Assert.False(LocalPath.IsLocal(null));

    [Fact]
    public void Overlong_path_is_refused() => Assert.False(LocalPath.IsLocal("/" + new string('a', 4096)));

    [Fact]
    public void LoginUrl_escapes_next_so_its_query_stays_inside_the_parameter() =>
        Assert.Equal("/oauth2/login?next=%2Foauth2%2Fauthorize%3Fx%3D1%26y%3D2", LocalPath.LoginUrl("/oauth2/authorize?x=1&y=2"));

    [Theory]
    [InlineData("/oauth2/authorize?client_id=a", "/oauth2/authorize")]
    [InlineData("/oauth2/authorize/?client_id=a", "/oauth2/authorize")]
    [InlineData("/oauth2/authorize/confirm", "/oauth2/authorize/confirm")]
    [InlineData("/oauth2/login#top", "/oauth2/login")]
    [InlineData("/", "/")]
    public void PathOf_drops_the_query_and_a_trailing_slash(string local, string path) => Assert.Equal(path, LocalPath.PathOf(local));

    [Theory]
    [InlineData("/oauth2/authorize?response_type=code&client_id=abc&state=x", "abc")]
    [InlineData("/oauth2/authorize?client_id=a%2Bb+c", "a+b c")]
    [InlineData("/oauth2/authorize?client_id=", "")]
    public void QueryValue_reads_one_form_encoded_value(string local, string value) => Assert.Equal(value, LocalPath.QueryValue(local, "client_id"));

    [Theory]
    [InlineData("/oauth2/authorize")]
    [InlineData("/oauth2/authorize?state=x")]
    [InlineData("/oauth2/authorize?client_id=a&client_id=b")]
    [InlineData("/oauth2/authorize?x=1#client_id=a")]
    public void QueryValue_is_null_when_absent_or_repeated(string local) => Assert.Null(LocalPath.QueryValue(local, "client_id"));
}
