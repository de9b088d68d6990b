using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>Authorization server metadata (RFC 8414), built from the live settings.</summary>
public sealed class MetadataTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Path = "/.well-known/oauth-authorization-server";

    [Fact]
    public async Task Metadata_names_the_endpoints_under_the_issuer()
    {
        using var http = fixture.Server.CreateClient();
        var metadata = await OAuthAssert.SuccessAsync(await http.GetAsync(Path));
        var issuer = metadata.Str("issuer");
        Assert.Equal(fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority), issuer);
        Assert.Equal(issuer + "/oauth2/authorize", metadata.Str("authorization_endpoint"));
        Assert.Equal(issuer + "/oauth2/access_token", metadata.Str("token_endpoint"));
        Assert.Equal(issuer + "/oauth2/revoke", metadata.Str("revocation_endpoint"));
        Assert.Equal(issuer + "/oauth2/introspect", metadata.Str("introspection_endpoint"));
        Assert.Equal(["S256"], Strings(metadata, "code_challenge_methods_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], Strings(metadata, "token_endpoint_auth_methods_supported"));
    }

    [Fact]
    public async Task Without_token_response_type_the_implicit_flow_is_not_advertised()
    {
        using var http = fixture.Server.CreateClient();
        var metadata = await OAuthAssert.SuccessAsync(await http.GetAsync(Path));
        Assert.Equal(["code"], Strings(metadata, "response_types_supported"));
        Assert.Equal(["authorization_code", "refresh_token", "password", "client_credentials"], Strings(metadata, "grant_types_supported"));
        // docs/BEHAVIOUR.md §11: OpenID Connect's scopes are recognised alongside the configured ones.
        Assert.Equal(["read", "write", "openid", "profile", "email"], Strings(metadata, "scopes_supported"));
    }

    [Fact]
    public async Task Settings_change_what_is_advertised()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o
            .With("OAuth:ResponseTypes", "code,token")
            .With("OAuth:Scopes", "photos,albums,admin")
            .With("OAuth:Issuer", "https://login.example.com"));
        using var http = server.CreateClient();
        var metadata = await OAuthAssert.SuccessAsync(await http.GetAsync(Path));
        Assert.Equal("https://login.example.com", metadata.Str("issuer"));
        Assert.Equal("https://login.example.com/oauth2/access_token", metadata.Str("token_endpoint"));
        Assert.Equal(["code", "token"], Strings(metadata, "response_types_supported"));
        Assert.Contains("implicit", Strings(metadata, "grant_types_supported"));
        Assert.Equal(["photos", "albums", "admin", "openid", "profile", "email"], Strings(metadata, "scopes_supported"));
    }

    private static string[] Strings(System.Text.Json.JsonElement json, string name) =>
        [.. json.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
