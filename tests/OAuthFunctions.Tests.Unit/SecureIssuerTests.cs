using Microsoft.Extensions.Configuration;
using OAuthFunctions.Core.Configuration;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// A production server (<c>EnforceSecure</c>) names itself with its configured issuer, never with the Host header a
/// client sent (RFC 8414 §2: the issuer is the authorization server's https URL).
/// </summary>
public sealed class SecureIssuerTests
{
    [Fact]
    public void EnforceSecure_without_an_issuer_fails_start_up_naming_OAuth__Issuer()
    {
        var error = Assert.Throws<OAuthConfigurationException>(() => Load(("EnforceSecure", "true")));

        Assert.Contains("OAuth__Issuer", error.Message, StringComparison.Ordinal);
        Assert.Contains("OAuth__EnforceSecure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnforceSecure_with_a_blank_issuer_fails_start_up()
    {
        var error = Assert.Throws<OAuthConfigurationException>(() => Load(("EnforceSecure", "true"), ("Issuer", "  ")));

        Assert.Contains("OAuth__Issuer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnforceSecure_with_an_https_issuer_starts()
    {
        var options = Load(("EnforceSecure", "true"), ("Issuer", "https://login.example.com"));

        Assert.True(options.EnforceSecure);
        Assert.Equal(new Uri("https://login.example.com"), options.Issuer);
    }

    [Fact]
    public void Without_EnforceSecure_the_issuer_may_stay_unset_for_local_development()
    {
        Assert.Null(Load(("EnforceSecure", "false")).Issuer);
    }

    private static OAuthOptions Load(params (string Name, string Value)[] settings) =>
        OAuthOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"OAuth:{s.Name}", s.Value)))
            .Build());
}
