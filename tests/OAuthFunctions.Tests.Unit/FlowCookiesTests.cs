using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Login, flow and anti-forgery state in encrypted, authenticated cookies named from <c>SessionKey</c>.</summary>
public sealed class FlowCookiesTests
{
    private readonly EphemeralDataProtectionProvider _protection = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly OAuthOptions _options = new();
    private readonly FlowCookies _cookies;

    public FlowCookiesTests() => _cookies = new FlowCookies(_protection, _options, _time);

    [Fact]
    public void Written_session_reads_back()
    {
        var session = new LoginSession("user-1", "alice", _cookies.NewSessionExpiry());

        var cookie = _cookies.WriteSession(session, Request());

        Assert.Equal(session, _cookies.ReadSession(Request(cookie)));
    }

    [Fact]
    public void Session_cookie_does_not_carry_the_username_in_clear()
    {
        var cookie = _cookies.WriteSession(new LoginSession("user-1", "alice", _cookies.NewSessionExpiry()), Request());

        Assert.DoesNotContain("alice", cookie.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_reads_as_absent_once_the_login_lifetime_has_passed()
    {
        var cookie = _cookies.WriteSession(new LoginSession("user-1", "alice", _cookies.NewSessionExpiry()), Request());

        _time.Advance(_options.LoginLifetime + TimeSpan.FromSeconds(1));

        Assert.Null(_cookies.ReadSession(Request(cookie)));
    }

    [Fact]
    public void Session_is_still_valid_just_before_the_login_lifetime_ends()
    {
        var cookie = _cookies.WriteSession(new LoginSession("user-1", "alice", _cookies.NewSessionExpiry()), Request());

        _time.Advance(_options.LoginLifetime - TimeSpan.FromSeconds(1));

        Assert.NotNull(_cookies.ReadSession(Request(cookie)));
    }

    [Fact]
    public void Tampered_session_cookie_reads_as_absent()
    {
        var cookie = _cookies.WriteSession(new LoginSession("user-1", "alice", _cookies.NewSessionExpiry()), Request());
        var value = cookie.Value!;
        var middle = value.Length / 2;
        var tampered = value[..middle] + (value[middle] == 'A' ? 'B' : 'A') + value[(middle + 1)..];

        Assert.Null(_cookies.ReadSession(Request((_cookies.SessionCookie, tampered))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("!!!not base64!!!")]
    public void Garbage_session_cookie_reads_as_absent(string value) =>
        Assert.Null(_cookies.ReadSession(Request((_cookies.SessionCookie, value))));

    [Fact]
    public void Cookie_protected_by_another_key_ring_reads_as_absent()
    {
        var other = new FlowCookies(new EphemeralDataProtectionProvider(), _options, _time);
        var cookie = other.WriteSession(new LoginSession("user-1", "alice", _cookies.NewSessionExpiry()), Request());

        Assert.Null(_cookies.ReadSession(Request(cookie)));
    }

    [Fact]
    public void Session_cookie_value_is_not_accepted_as_flow_state()
    {
        var cookie = _cookies.WriteSession(new LoginSession("user-1", "alice", _cookies.NewSessionExpiry()), Request());

        Assert.Null(_cookies.ReadFlow(Request((_cookies.FlowCookie, cookie.Value!))));
    }

    [Fact]
    public void Flow_state_round_trips_with_repeated_parameter_values()
    {
        var flow = new FlowState(
            new Dictionary<string, string[]>
            {
                ["client_id"] = ["abc"],
                ["scope"] = ["read", "write"],
                ["state"] = ["a b&c#d"],
            },
            FlowCookies.NewCsrf(),
            _cookies.NewFlowExpiry(),
            new FlowResult("https://c.example/cb?x=1", false, new() { ["code"] = "xyz", ["state"] = "s" }));

        var read = _cookies.ReadFlow(Request(_cookies.WriteFlow(flow, Request())));

        Assert.NotNull(read);
        Assert.Equal(flow.Parameters.Keys, read.Parameters.Keys);
        Assert.Equal(["read", "write"], read.Parameters["scope"]);
        Assert.Equal(["a b&c#d"], read.Parameters["state"]);
        Assert.Equal(flow.Csrf, read.Csrf);
        Assert.Equal(flow.ExpiresAt, read.ExpiresAt);
        Assert.Equal(flow.Result!.RedirectUri, read.Result?.RedirectUri);
        Assert.Equal(flow.Result.InFragment, read.Result!.InFragment);
        Assert.Equal(flow.Result.Parameters, read.Result.Parameters);
    }

    [Fact]
    public void Flow_state_reads_as_absent_once_expired()
    {
        var flow = new FlowState(new Dictionary<string, string[]> { ["client_id"] = ["abc"] }, FlowCookies.NewCsrf(), _cookies.NewFlowExpiry());
        var cookie = _cookies.WriteFlow(flow, Request());

        _time.Advance(FlowCookies.FlowLifetime);

        Assert.Null(_cookies.ReadFlow(Request(cookie)));
    }

    [Fact]
    public void Absent_cookies_read_as_null()
    {
        Assert.Null(_cookies.ReadSession(Request()));
        Assert.Null(_cookies.ReadFlow(Request()));
        Assert.Null(_cookies.ReadCsrf(Request()));
    }

    [Fact]
    public void Csrf_cookie_round_trips()
    {
        var csrf = FlowCookies.NewCsrf();

        var cookie = _cookies.WriteCsrf(csrf, Request());

        Assert.NotEqual(csrf, cookie.Value);
        Assert.Equal(csrf, _cookies.ReadCsrf(Request(cookie)));
    }

    [Fact]
    public void Cookie_names_come_from_the_session_key()
    {
        var cookies = new FlowCookies(_protection, new OAuthOptions { SessionKey = "myapp" }, _time);

        Assert.Equal("myapp_session", cookies.SessionCookie);
        Assert.Equal("myapp_flow", cookies.FlowCookie);
        Assert.Equal("myapp_csrf", cookies.CsrfCookie);
    }

    [Fact]
    public void Written_session_cookie_uses_the_session_key_name()
    {
        var cookies = new FlowCookies(_protection, new OAuthOptions { SessionKey = "myapp" }, _time);

        var cookie = cookies.WriteSession(new LoginSession("user-1", "alice", cookies.NewSessionExpiry()), Request());

        Assert.Equal("myapp_session", cookie.Name);
    }

    [Fact]
    public void Default_cookie_names_start_with_oauth() => Assert.Equal("oauth_session", _cookies.SessionCookie);

    [Fact]
    public void Cookie_is_secure_on_an_https_request()
    {
        var cookie = _cookies.WriteCsrf("x", new OAuthRequest { Method = "GET", Origin = "https://as.example", IsSecure = true });

        Assert.True(cookie.Secure);
    }

    [Fact]
    public void Cookie_is_secure_when_EnforceSecure_is_on_even_over_http()
    {
        var cookies = new FlowCookies(_protection, new OAuthOptions { EnforceSecure = true }, _time);

        Assert.True(cookies.WriteCsrf("x", Request()).Secure);
    }

    [Fact]
    public void Clear_deletes_the_named_cookie()
    {
        var cookie = _cookies.Clear(_cookies.FlowCookie, Request());

        Assert.Equal(_cookies.FlowCookie, cookie.Name);
        Assert.Null(cookie.Value);
    }

    [Fact]
    public void NewCsrf_tokens_differ() => Assert.NotEqual(FlowCookies.NewCsrf(), FlowCookies.NewCsrf());

    [Fact]
    public void CsrfMatches_equal_strings() => Assert.True(FlowCookies.CsrfMatches("abc", "abc"));

    [Theory]
    [InlineData("abc", "abd")]
    [InlineData("abc", "ABC")]
    [InlineData("abc", "abcd")]
    [InlineData("", "abc")]
    public void CsrfMatches_is_false_for_different_strings(string submitted, string expected) =>
        Assert.False(FlowCookies.CsrfMatches(submitted, expected));

    [Theory]
    [InlineData(null, "abc")]
    [InlineData("abc", null)]
    [InlineData(null, null)]
    public void CsrfMatches_is_false_for_null(string? submitted, string? expected) =>
        Assert.False(FlowCookies.CsrfMatches(submitted, expected));

    private static OAuthRequest Request(ResponseCookie cookie) => Request((cookie.Name, cookie.Value!));

    private static OAuthRequest Request(params (string Name, string Value)[] cookies) => new()
    {
        Method = "GET",
        Origin = "http://as.example",
        Cookies = cookies.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal),
    };
}
