using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Registration rules: who may skip consent (RFC 8252 §8.6) and what a redirect URI may be (RFC 6749 §3.1.2).</summary>
public sealed class ClientRegistrationTests
{
    [Fact]
    public void Public_client_cannot_be_trusted()
    {
        var refusal = ClientRegistration.Refuse(ClientType.Public, trusted: true, ["com.example.app:/cb"], allowInsecureRedirect: false);

        Assert.Equal(RegistrationRule.TrustedPublicClient, refusal?.Rule);
        Assert.Contains("RFC 8252 §8.6", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Confidential_client_may_be_trusted() =>
        Assert.Null(ClientRegistration.Refuse(ClientType.Confidential, trusted: true, ["https://app.example/cb"], allowInsecureRedirect: false));

    [Theory]
    [InlineData("/cb")]
    [InlineData("cb")]
    [InlineData("//evil.example/cb")]
    [InlineData("app.example/cb")]
    [InlineData("")]
    [InlineData("https://app.example/c b")]
    [InlineData(" https://app.example/cb")]
    [InlineData("https://app.example/cb\n")]
    public void Redirect_uri_must_be_absolute(string uri) =>
        Assert.Equal(RegistrationRule.RelativeRedirectUri, RuleFor(uri));

    [Theory]
    [InlineData("https://app.example/cb#fragment")]
    [InlineData("https://app.example/cb#")]
    [InlineData("com.example.app:/cb#x")]
    public void Redirect_uri_must_not_have_a_fragment(string uri) =>
        Assert.Equal(RegistrationRule.RedirectUriWithFragment, RuleFor(uri));

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("JavaScript://app.example/%0Aalert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    [InlineData("vbscript:msgbox(1)")]
    public void Redirect_uri_must_not_use_a_scheme_that_runs_in_the_browser(string uri) =>
        Assert.Equal(RegistrationRule.DangerousRedirectScheme, RuleFor(uri));

    [Theory]
    [InlineData("http://app.example/cb")]
    [InlineData("http://10.0.0.5/cb")]
    [InlineData("http://127.0.0.1.evil.example/cb")]
    [InlineData("http://localhost.evil.example/cb")]
    public void Plain_http_redirect_uri_is_refused_off_loopback(string uri) =>
        Assert.Equal(RegistrationRule.InsecureRedirectUri, RuleFor(uri));

    [Theory]
    [InlineData("http://app.example/cb")]
    [InlineData("http://10.0.0.5/cb")]
    public void Plain_http_redirect_uri_is_accepted_when_explicitly_allowed(string uri) =>
        Assert.Null(ClientRegistration.Refuse(ClientType.Confidential, trusted: false, [uri], allowInsecureRedirect: true));

    [Theory]
    [InlineData("https://app.example/cb")]
    [InlineData("https://app.example/cb?tenant=1")]
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("http://127.0.0.1:8400/cb")]
    [InlineData("http://[::1]/cb")]
    [InlineData("http://localhost:3000/cb")]
    [InlineData("com.example.app:/oauth2redirect")]
    [InlineData("com.example.app://callback")]
    public void Usual_redirect_uris_are_accepted(string uri) => Assert.Null(RuleFor(uri));

    [Fact]
    public void Every_redirect_uri_is_checked()
    {
        var refusal = ClientRegistration.Refuse(ClientType.Confidential, trusted: false, ["https://app.example/cb", "javascript:alert(1)"], allowInsecureRedirect: false);

        Assert.Equal(RegistrationRule.DangerousRedirectScheme, refusal?.Rule);
    }

    [Fact]
    public void Refusal_is_one_line_even_for_a_uri_with_control_characters()
    {
        var refusal = ClientRegistration.Refuse(ClientType.Confidential, trusted: false, ["https://app.example/\r\nX-Injected: 1"], allowInsecureRedirect: false);

        Assert.NotNull(refusal);
        Assert.DoesNotContain('\n', refusal.Message);
        Assert.DoesNotContain('\r', refusal.Message);
    }

    [Fact]
    public void Stored_public_trusted_client_is_refused() =>
        Assert.Equal(RegistrationRule.TrustedPublicClient, ClientRegistration.RefuseStored(Stored(ClientType.Public, trusted: true, "com.example.app:/cb"))?.Rule);

    [Theory]
    [InlineData("javascript:alert(1)", RegistrationRule.DangerousRedirectScheme)]
    [InlineData("https://app.example/cb#x", RegistrationRule.RedirectUriWithFragment)]
    [InlineData("/cb", RegistrationRule.RelativeRedirectUri)]
    public void Stored_client_with_a_never_acceptable_redirect_uri_is_refused(string uri, RegistrationRule rule) =>
        Assert.Equal(rule, ClientRegistration.RefuseStored(Stored(ClientType.Confidential, trusted: false, uri))?.Rule);

    [Fact]
    public void Stored_plain_http_redirect_uri_keeps_working() =>
        Assert.Null(ClientRegistration.RefuseStored(Stored(ClientType.Confidential, trusted: true, "http://legacy.example/cb")));

    private static RegistrationRule? RuleFor(string uri) =>
        ClientRegistration.Refuse(ClientType.Confidential, trusted: false, [uri], allowInsecureRedirect: false)?.Rule;

    private static Client Stored(ClientType type, bool trusted, string redirectUri) => new()
    {
        ClientId = "c1",
        Name = "App",
        Url = "https://app.example",
        RedirectUris = [redirectUri],
        Type = type,
        GrantTypes = GrantTypes.AllowedFor(type),
        Scope = 2,
        Trusted = trusted,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
