namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>All browser tests share one server and one Chromium; each test gets its own browser context (cookies).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
