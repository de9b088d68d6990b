using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>The password grant (RFC 6749 §4.3), with the original package's public/confidential cases.</summary>
public sealed class PasswordGrantTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Public_client_gets_an_access_token_for_30_days_and_no_refresh_token()
    {
        var client = await _server.AddClientAsync(ClientType.Public);
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await PasswordAsync(http, client, user.Username, Password));
        Assert.False(token.TryGetProperty("refresh_token", out _));
        Assert.Equal(30, Math.Round(token.GetProperty("expires_in").GetInt64() / 86400.0));
    }

    [Fact]
    public async Task Confidential_client_gets_a_refresh_token()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await PasswordAsync(http, client, user.Username, Password));
        Assert.False(string.IsNullOrEmpty(token.Str("refresh_token")));
        Assert.Equal(365, Math.Round(token.GetProperty("expires_in").GetInt64() / 86400.0));
    }

    [Fact]
    public async Task Confidential_client_without_secret_is_invalid_client()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        var response = await http.PostFormAsync("/oauth2/access_token", ("grant_type", "password"), ("client_id", client.ClientId), ("username", user.Username), ("password", Password));
        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Wrong_password_for_a_public_client_is_invalid_grant()
    {
        // The original answered invalid_client here; RFC 6749 §5.2 says the grant (the credentials) is what is invalid.
        var client = await _server.AddClientAsync(ClientType.Public);
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await PasswordAsync(http, client, user.Username, Password + "invalid"), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Wrong_password_for_a_confidential_client_is_invalid_grant()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await PasswordAsync(http, client, user.Username, Password + "invalid"), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        var unknown = await OAuthAssert.ErrorAsync(await PasswordAsync(http, client, "nobody-" + Guid.NewGuid().ToString("N"), Password), HttpStatusCode.BadRequest, "invalid_grant");
        var wrong = await OAuthAssert.ErrorAsync(await PasswordAsync(http, client, user.Username, "wrong password"), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(wrong.Str("error_description"), unknown.Str("error_description"));
    }

    [Fact]
    public async Task Disabled_user_is_invalid_grant()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("disabled-" + Guid.NewGuid().ToString("N")[..8], Password, disabled: true);
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await PasswordAsync(http, client, user.Username, Password), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Missing_password_is_invalid_request()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", "someone")), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        using var http = _server.CreateClient();
        for (var i = 0; i < ResourceOwnerAuthenticator.MaxFailures; i++)
        {
            await PasswordAsync(http, client, user.Username, "wrong password");
        }

        await OAuthAssert.ErrorAsync(await PasswordAsync(http, client, user.Username, Password), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Parallel_wrong_passwords_all_count_towards_the_lockout()
    {
        var client = await _server.AddClientAsync();
        var user = await NewUserAsync();
        var guesses = Enumerable.Range(0, 12).Select(async i =>
        {
            using var http = _server.CreateClient();
            return await PasswordAsync(http, client, user.Username, "wrong password " + i);
        });
        await Task.WhenAll(guesses);

        using var again = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await PasswordAsync(again, client, user.Username, Password), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private async Task<User> NewUserAsync() => await _server.AddUserAsync("password-" + Guid.NewGuid().ToString("N")[..8], Password);

    private static Task<HttpResponseMessage> PasswordAsync(HttpClient http, TestClient client, string username, string password) =>
        http.TokenAsync(client, ("grant_type", "password"), ("username", username), ("password", password));
}
