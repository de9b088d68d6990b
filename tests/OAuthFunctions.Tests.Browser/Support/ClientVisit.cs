namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>One request the browser made to the client's site: the URL and the Referer it sent (empty when none).</summary>
public sealed record ClientVisit(Uri Url, string Referer);
