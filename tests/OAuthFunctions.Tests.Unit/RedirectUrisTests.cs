using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Redirect URI matching: exact (RFC 6749 §3.1.2.3), any port for loopback IPs (RFC 8252 §7.3).</summary>
public sealed class RedirectUrisTests
{
    [Theory]
    [InlineData("https://app.example/cb", "https://app.example/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb")]
    [InlineData("http://127.0.0.1:8080/cb", "http://127.0.0.1:51234/cb")]
    [InlineData("http://[::1]/cb", "http://[::1]:61000/cb")]
    public void Matches(string registered, string requested) =>
        Assert.Equal(requested, RedirectUris.Match([registered], requested));

    [Theory]
    [InlineData("https://app.example/cb", "https://app.example/cb/")]
    [InlineData("https://app.example/cb", "https://APP.example/cb")]
    [InlineData("https://app.example/cb", "https://app.example:8443/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/other")]
    [InlineData("http://127.0.0.1/cb", "https://127.0.0.1:51234/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.2:51234/cb")]
    [InlineData("http://localhost/cb", "http://localhost:51234/cb")]
    [InlineData("http://127.0.0.1/cb?x=1", "http://127.0.0.1:51234/cb?x=2")]
    public void Does_not_match(string registered, string requested) =>
        Assert.Null(RedirectUris.Match([registered], requested));
}
