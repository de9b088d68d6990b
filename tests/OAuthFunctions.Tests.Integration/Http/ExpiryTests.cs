using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>Expiry of codes and tokens, on a fake clock (RefreshTokenLifetime = 30 days here).</summary>
public sealed class ExpiryTests(FakeTimeServerFixture fixture) : IClassFixture<FakeTimeServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Expired_code_is_invalid_grant()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("expiry-code-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var code = await _server.IssueCodeAsync(client, user);
        _server.FakeTime!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Expired_refresh_token_is_invalid_grant()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        _server.FakeTime!.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        using var http = _server.CreateClient();
        var response = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Expired_access_token_is_inactive()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        _server.FakeTime!.Advance(TimeSpan.FromDays(365) + TimeSpan.FromSeconds(1));
        using var http = _server.CreateClient();
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", tokens.Str("access_token"))));
        Assert.False(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Refresh_token_expiry_is_counted_from_each_issue()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        _server.FakeTime!.Advance(TimeSpan.FromDays(20));
        var second = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        _server.FakeTime.Advance(TimeSpan.FromDays(20));
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", second.Str("refresh_token"))));
    }
}
