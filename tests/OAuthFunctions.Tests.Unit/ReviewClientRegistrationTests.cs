using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// A reviewer's attack on the registration rules (issue 10): scheme spellings, characters before the scheme, hosts
/// that only look like loopback, and URIs where .NET and a browser (WHATWG URL) might disagree about the host. Every
/// case here was checked against <see cref="Uri"/>'s parse; these document what holds.
/// </summary>
public sealed class ReviewClientRegistrationTests
{
    [Theory]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("JAVASCRIPT://x/%0Aalert(1)")]
    [InlineData("DaTa:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("VbScRiPt:msgbox(1)")]
    [InlineData("FiLe://localhost/etc/passwd")]
    public void Browser_schemes_are_refused_in_any_case(string uri) =>
        Assert.Equal(RegistrationRule.DangerousRedirectScheme, RuleFor(uri, allowInsecure: true));

    [Theory]
    [InlineData(" javascript:alert(1)")]
    [InlineData("\tjavascript:alert(1)")]
    [InlineData("\u0000javascript:alert(1)")]
    [InlineData("\u001Fjavascript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("\u00A0javascript:alert(1)")]
    [InlineData("\uFEFFjavascript:alert(1)")]
    [InlineData("\u200Bjavascript:alert(1)")]
    [InlineData("ｊavascript:alert(1)")]
    [InlineData("JAVASCRIPT://%0Aalert(1)")]
    public void Nothing_may_come_before_or_inside_a_scheme(string uri) =>
        Assert.NotNull(RuleFor(uri, allowInsecure: true));

    [Theory]
    [InlineData("http://localhost.evil.example/cb")]
    [InlineData("http://127.0.0.1.nip.io/cb")]
    [InlineData("http://127.0.0.1@evil.example/cb")]
    [InlineData("http://localhost@evil.example/cb")]
    [InlineData("http://[::1]@evil.example/cb")]
    [InlineData("http://127.0.0.1:80@evil.example/cb")]
    [InlineData("http://127.0.0.1%2f@evil.example/cb")]
    [InlineData("http://evil.example?@127.0.0.1/cb")]
    [InlineData("http://xn--localhost-.evil.example/cb")]
    [InlineData("http://localhost%2eevil.example/cb")]
    [InlineData("http://evil.example\\@127.0.0.1/cb")]
    [InlineData("http://127.0.0.1\\@evil.example/cb")]
    [InlineData("http:/127.0.0.1/cb")]
    [InlineData("http:127.0.0.1/cb")]
    [InlineData("http://0.0.0.0/cb")]
    public void Hosts_that_only_look_like_loopback_need_https(string uri) =>
        Assert.NotNull(RuleFor(uri, allowInsecure: false));

    [Theory]
    [InlineData("http://127.0.0.1/cb#")]
    [InlineData("http://127.0.0.1:5000/cb#frag")]
    [InlineData("http://[::1]/cb#x")]
    [InlineData("http://localhost#@evil.example/")]
    public void Loopback_with_a_fragment_is_refused(string uri) =>
        Assert.Equal(RegistrationRule.RedirectUriWithFragment, RuleFor(uri, allowInsecure: false));

    [Theory]
    [InlineData("http://evil.example%5c@127.0.0.1/cb")]
    [InlineData("http://evil.example;@127.0.0.1/cb")]
    [InlineData("http://evil.example:@127.0.0.1/cb")]
    [InlineData("http://0x7f000001/cb")]
    [InlineData("http://2130706433/cb")]
    [InlineData("http://127.1/cb")]
    [InlineData("http://[0:0:0:0:0:0:0:1]/cb")]
    public void Spellings_a_browser_also_reads_as_loopback_are_accepted(string uri) =>
        // WHATWG URL agrees: the part before '@' is userinfo, and these hosts are 127.0.0.1 or ::1.
        Assert.Null(RuleFor(uri, allowInsecure: false));

    [Theory]
    [InlineData("http://１２７.０.０.１/cb")]
    [InlineData("http://ⅼocalhost/cb")]
    [InlineData("http://[::ffff:127.0.0.1]/cb")]
    [InlineData("http://localhost./cb")]
    public void Unusual_spellings_of_loopback_are_refused_which_is_the_safe_side(string uri) =>
        Assert.Equal(RegistrationRule.InsecureRedirectUri, RuleFor(uri, allowInsecure: false));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("DATA:,x")]
    [InlineData("https://app.example/cb#x")]
    [InlineData("/relative")]
    public void Allowing_insecure_redirects_allows_nothing_else(string uri) =>
        Assert.NotNull(RuleFor(uri, allowInsecure: true));

    [Fact]
    public void A_stored_row_with_a_dangerous_uri_after_a_good_one_is_refused() =>
        Assert.Equal(
            RegistrationRule.DangerousRedirectScheme,
            ClientRegistration.RefuseStored(new Client
            {
                ClientId = "c1",
                Name = "App",
                Url = "https://app.example",
                RedirectUris = ["https://app.example/cb", "JavaScript:alert(1)"],
                Type = ClientType.Confidential,
                GrantTypes = GrantTypes.AllowedFor(ClientType.Confidential),
                Scope = 2,
                CreatedAt = DateTimeOffset.UnixEpoch,
            })?.Rule);

    private static RegistrationRule? RuleFor(string uri, bool allowInsecure) =>
        ClientRegistration.Refuse(ClientType.Confidential, trusted: false, [uri], allowInsecure)?.Rule;
}
