using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Allowed origins (docs/BEHAVIOUR.md §12): registered and compared as a browser serializes its origin
/// (RFC 6454 §6.2), so that only the exact scheme, host and port ever match.
/// </summary>
public sealed class AllowedOriginsTests
{
    [Theory]
    [InlineData("https://app.example", "https://app.example")]
    [InlineData("https://App.Example", "https://app.example")]
    [InlineData("HTTPS://app.example", "https://app.example")]
    [InlineData("https://app.example:443", "https://app.example")]
    [InlineData("http://localhost:80", "http://localhost")]
    [InlineData("https://app.example:8443", "https://app.example:8443")]
    [InlineData("http://127.0.0.1:5173", "http://127.0.0.1:5173")]
    [InlineData("http://[::1]:3000", "http://[::1]:3000")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    public void An_origin_is_registered_in_serialized_form(string given, string serialized) =>
        Assert.Equal(serialized, AllowedOrigins.Canonical(given));

    [Theory]
    [InlineData("null", "opaque origin null")]
    [InlineData("NULL", "opaque origin null")]
    [InlineData("https://app.example/", "path")]
    [InlineData("https://app.example/spa", "path")]
    [InlineData("https://app.example?x=1", "query")]
    [InlineData("https://app.example#top", "fragment")]
    [InlineData("https://user:pw@app.example", "user name or password")]
    [InlineData("https://user@app.example", "user name or password")]
    [InlineData("app.example", "scheme://host[:port]")]
    [InlineData("//app.example", "scheme://host[:port]")]
    [InlineData("", "scheme://host[:port]")]
    [InlineData(" https://app.example", "scheme://host[:port]")]
    [InlineData("https://app.example\n", "scheme://host[:port]")]
    [InlineData("ftp://app.example", "not an http or https origin")]
    [InlineData("chrome-extension://abcdef", "not an http or https origin")]
    [InlineData("file://", "not an http or https origin")]
    [InlineData("https://", "valid host")]
    [InlineData("https://app.example:99999", "valid host")]
    [InlineData("https://app%2eexample", "valid host")]
    public void Anything_but_an_http_or_https_tuple_origin_is_refused_naming_why(string origin, string why)
    {
        var refusal = ClientRegistration.RefuseOrigin(origin, allowInsecure: false);

        Assert.Equal(RegistrationRule.InvalidOrigin, refusal?.Rule);
        Assert.Contains(why, refusal!.Message, StringComparison.Ordinal);
        Assert.Null(AllowedOrigins.Canonical(origin));
        Assert.DoesNotContain('\n', refusal.Message);
    }

    [Theory]
    [InlineData("http://app.example")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://localhost.evil.example")]
    public void Plain_http_origin_is_refused_off_loopback_unless_allowed(string origin)
    {
        Assert.Equal(RegistrationRule.InsecureOrigin, ClientRegistration.RefuseOrigin(origin, allowInsecure: false)?.Rule);
        Assert.Null(ClientRegistration.RefuseOrigin(origin, allowInsecure: true));
    }

    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("http://127.0.0.1:5173")]
    [InlineData("http://[::1]")]
    [InlineData("https://app.example")]
    public void Https_and_loopback_origins_are_accepted(string origin) =>
        Assert.Null(ClientRegistration.RefuseOrigin(origin, allowInsecure: false));

    [Fact]
    public void Registration_checks_every_allowed_origin()
    {
        var refusal = ClientRegistration.Refuse(ClientType.Public, trusted: false, ["https://app.example/cb"], allowInsecureRedirect: false, ["https://app.example", "https://app.example/"]);

        Assert.Equal(RegistrationRule.InvalidOrigin, refusal?.Rule);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("https://APP.example")]
    [InlineData("https://app.example/")]
    public void A_stored_client_with_an_origin_the_cli_never_writes_is_refused(string origin)
    {
        var client = TestClients.Public() with { AllowedOrigins = [origin] };

        Assert.Equal(RegistrationRule.InvalidOrigin, ClientRegistration.RefuseStored(client)?.Rule);
    }

    [Theory]
    [InlineData("https://app.example", true)]
    [InlineData("https://app.example:443", false)]
    [InlineData("https://APP.example", false)]
    [InlineData("https://app.example/", false)]
    [InlineData("null", false)]
    [InlineData(null, false)]
    public void Only_what_a_browser_sends_is_canonical(string? origin, bool canonical) =>
        Assert.Equal(canonical, AllowedOrigins.IsCanonical(origin));
}
