using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Consuming.Support;

namespace OAuthFunctions.Tests.Consuming.Samples;

/// <summary>
/// samples/NotesApi and samples/ServiceClient as a developer runs them (docs/CONSUMING.md): their built programs as
/// child processes, configured through the environment, against the local host.
/// </summary>
public sealed class NotesApiSampleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    private string Authority => _server.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task The_api_answers_401_403_and_200_as_its_policies_say()
    {
        var (sample, address) = await StartApiAsync();
        await using var _ = sample;
        using var http = new HttpClient { BaseAddress = address };
        var (readOnly, _, username) = await _server.UserTokensAsync("read");

        var anonymous = await http.GetAsync(new Uri("/notes", UriKind.Relative));
        var listed = await SendAsync(http, HttpMethod.Get, readOnly);
        var written = await SendAsync(http, HttpMethod.Post, readOnly);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(username, (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("owner").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, written.StatusCode);
        Assert.Equal("insufficient_scope", Challenge.Parameter(written, "error"));
    }

    [Fact]
    public async Task The_service_client_gets_a_token_with_client_credentials_and_calls_the_api()
    {
        var (api, address) = await StartApiAsync();
        await using var _ = api;
        var service = await _server.AddClientAsync(name: "Nightly report");

        await using var client = SampleProcess.Start("ServiceClient", new Dictionary<string, string>
        {
            ["OAUTH_AUTHORITY"] = Authority,
            ["OAUTH_CLIENT_ID"] = service.ClientId,
            ["OAUTH_CLIENT_SECRET"] = service.Secret!,
            ["NOTES_API"] = address.ToString(),
        });

        Assert.True(await client.ExitCodeAsync() == 0, client.Output + "\n" + client.Errors);
        Assert.Contains("token: Bearer, scope \"read write\"", client.Output, StringComparison.Ordinal);
        Assert.Contains("POST /notes: 201", client.Output, StringComparison.Ordinal);
        Assert.Contains("GET /notes: 200", client.Output, StringComparison.Ordinal);
        Assert.Contains("written by the service client", client.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(service.Secret!, client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_client_with_a_wrong_secret_says_why_and_exits_1()
    {
        var service = await _server.AddClientAsync(name: "Misconfigured");

        await using var client = SampleProcess.Start("ServiceClient", new Dictionary<string, string>
        {
            ["OAUTH_AUTHORITY"] = Authority,
            ["OAUTH_CLIENT_ID"] = service.ClientId,
            ["OAUTH_CLIENT_SECRET"] = "wrong",
            ["NOTES_API"] = "http://127.0.0.1:9",
        });

        Assert.Equal(1, await client.ExitCodeAsync());
        Assert.Contains("token request failed: invalid_client", client.Errors, StringComparison.Ordinal);
    }

    private async Task<(SampleProcess Process, Uri Address)> StartApiAsync()
    {
        var api = await _server.ApiClientAsync();
        return await SampleProcess.StartWebAsync("NotesApi", new Dictionary<string, string>
        {
            ["OAuthFunctions__Authority"] = Authority,
            ["OAuthFunctions__ClientId"] = api.ClientId,
            ["OAuthFunctions__ClientSecret"] = api.Secret!,
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string token)
    {
        using var request = new HttpRequestMessage(method, "/notes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { text = "hello" });
        }

        return await http.SendAsync(request);
    }
}
