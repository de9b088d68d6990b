using System.Text;
using Microsoft.Extensions.Primitives;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Client authentication (RFC 6749 §2.3): HTTP Basic or body credentials, never both.</summary>
public sealed class ClientAuthenticatorTests
{
    private readonly ClientAuthenticator _authenticator = new(new InMemoryClientStore(TestClients.Confidential(), TestClients.Public()), TestClients.Security);

    [Fact]
    public async Task Basic_with_the_right_secret_authenticates()
    {
        var result = await AuthenticateAsync(Basic(TestClients.ConfidentialId, TestClients.ConfidentialSecret));

        Assert.Null(result.Error);
        Assert.Equal(TestClients.ConfidentialId, result.Client!.ClientId);
        Assert.True(result.BasicAttempted);
    }

    [Fact]
    public async Task Basic_scheme_name_is_case_insensitive()
    {
        var header = "basic " + Base64(FormEncode(TestClients.ConfidentialId) + ":" + FormEncode(TestClients.ConfidentialSecret));

        var result = await AuthenticateAsync(header);

        Assert.NotNull(result.Client);
    }

    [Fact]
    public async Task Basic_credentials_are_form_urlencoded_so_percent_2B_is_a_plus()
    {
        // TestClients.ConfidentialSecret contains '+', '/' and '='; RFC 6749 §2.3.1 form-encodes them first.
        var header = "Basic " + Base64(TestClients.ConfidentialId + ":" + TestClients.ConfidentialSecret.Replace("+", "%2B", StringComparison.Ordinal));

        var result = await AuthenticateAsync(header);

        Assert.NotNull(result.Client);
    }

    [Fact]
    public async Task Basic_plus_in_a_secret_decodes_to_a_space()
    {
        const string Secret = "with space";
        var authenticator = new ClientAuthenticator(new InMemoryClientStore(TestClients.Confidential() with { SecretHash = SecretHasher.Hash(Secret) }), TestClients.Security);
        var header = "Basic " + Base64(TestClients.ConfidentialId + ":with+space");

        var result = await authenticator.AuthenticateAsync(Request(header), CancellationToken.None);

        Assert.NotNull(result.Client);
    }

    [Fact]
    public async Task Basic_with_an_unencoded_plus_in_the_secret_fails_because_plus_means_space()
    {
        var header = "Basic " + Base64(TestClients.ConfidentialId + ":" + TestClients.ConfidentialSecret);

        var result = await AuthenticateAsync(header);

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Basic_form_encoded_client_id_is_decoded()
    {
        const string Id = "client id:with colon";
        var authenticator = new ClientAuthenticator(new InMemoryClientStore(TestClients.Confidential() with { ClientId = Id }), TestClients.Security);

        var result = await authenticator.AuthenticateAsync(Request(Basic(Id, TestClients.ConfidentialSecret)), CancellationToken.None);

        Assert.Equal(Id, result.Client?.ClientId);
    }

    [Fact]
    public async Task Basic_with_a_wrong_secret_is_invalid_client_with_basic_attempted()
    {
        var result = await AuthenticateAsync(Basic(TestClients.ConfidentialId, "wrong"));

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error?.Code);
        Assert.True(result.BasicAttempted);
    }

    [Fact]
    public async Task Basic_and_body_client_secret_together_is_invalid_request()
    {
        var result = await AuthenticateAsync(
            Basic(TestClients.ConfidentialId, TestClients.ConfidentialSecret),
            ("client_secret", TestClients.ConfidentialSecret));

        Assert.Same(OAuthErrors.MultipleClientAuthentication, result.Error);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, result.Error!.Code);
    }

    [Fact]
    public async Task Basic_with_body_client_id_equal_to_the_basic_id_is_fine()
    {
        var result = await AuthenticateAsync(
            Basic(TestClients.ConfidentialId, TestClients.ConfidentialSecret),
            ("client_id", TestClients.ConfidentialId));

        Assert.Equal(TestClients.ConfidentialId, result.Client?.ClientId);
    }

    [Fact]
    public async Task Basic_with_a_different_body_client_id_is_invalid_request()
    {
        var result = await AuthenticateAsync(
            Basic(TestClients.ConfidentialId, TestClients.ConfidentialSecret),
            ("client_id", TestClients.PublicId));

        Assert.Same(OAuthErrors.MultipleClientAuthentication, result.Error);
    }

    [Fact]
    public async Task Basic_with_an_empty_body_client_secret_is_not_a_second_method()
    {
        var result = await AuthenticateAsync(
            Basic(TestClients.ConfidentialId, TestClients.ConfidentialSecret),
            ("client_secret", string.Empty));

        Assert.NotNull(result.Client);
    }

    [Theory]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic ")]
    [InlineData("Basic Y2xpZW50")] // "client": no colon.
    [InlineData("Basic OnNlY3JldA==")] // ":secret": empty client id.
    [InlineData("Basic //79")] // not UTF-8.
    public async Task Malformed_basic_is_invalid_client_with_basic_attempted(string header)
    {
        var result = await AuthenticateAsync(header);

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
        Assert.True(result.BasicAttempted);
    }

    [Fact]
    public async Task Oversized_basic_header_is_invalid_client()
    {
        var result = await AuthenticateAsync(Basic(TestClients.ConfidentialId, new string('x', 2000)));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Body_credentials_authenticate_without_basic()
    {
        var result = await AuthenticateAsync(
            null,
            ("client_id", TestClients.ConfidentialId),
            ("client_secret", TestClients.ConfidentialSecret));

        Assert.Equal(TestClients.ConfidentialId, result.Client?.ClientId);
        Assert.False(result.BasicAttempted);
    }

    [Fact]
    public async Task Body_credentials_are_taken_literally_after_form_decoding_by_the_host()
    {
        // The body's form decoding is the host's job; the authenticator must not decode a second time.
        var result = await AuthenticateAsync(
            null,
            ("client_id", TestClients.ConfidentialId),
            ("client_secret", FormEncode(TestClients.ConfidentialSecret)));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Missing_client_id_is_invalid_client()
    {
        var result = await AuthenticateAsync(null, ("client_secret", TestClients.ConfidentialSecret));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
        Assert.False(result.BasicAttempted);
    }

    [Fact]
    public async Task Unknown_client_is_invalid_client()
    {
        var result = await AuthenticateAsync(null, ("client_id", "nobody"), ("client_secret", "whatever"));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Unknown_client_over_basic_is_invalid_client() =>
        Assert.Same(OAuthErrors.ClientAuthenticationFailed, (await AuthenticateAsync(Basic("nobody", "whatever"))).Error);

    [Fact]
    public async Task Confidential_client_without_a_secret_is_invalid_client()
    {
        var result = await AuthenticateAsync(null, ("client_id", TestClients.ConfidentialId));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Confidential_client_with_a_wrong_body_secret_is_invalid_client()
    {
        var result = await AuthenticateAsync(null, ("client_id", TestClients.ConfidentialId), ("client_secret", "wrong"));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Confidential_client_with_an_empty_secret_is_invalid_client()
    {
        var result = await AuthenticateAsync(null, ("client_id", TestClients.ConfidentialId), ("client_secret", string.Empty));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Public_client_with_client_id_only_authenticates()
    {
        var result = await AuthenticateAsync(null, ("client_id", TestClients.PublicId));

        Assert.Equal(TestClients.PublicId, result.Client?.ClientId);
    }

    [Fact]
    public async Task Public_client_with_a_non_empty_secret_is_invalid_client()
    {
        var result = await AuthenticateAsync(null, ("client_id", TestClients.PublicId), ("client_secret", "anything"));

        Assert.Same(OAuthErrors.ClientAuthenticationFailed, result.Error);
    }

    [Fact]
    public async Task Public_client_with_an_empty_client_secret_counts_as_absent()
    {
        var result = await AuthenticateAsync(null, ("client_id", TestClients.PublicId), ("client_secret", string.Empty));

        Assert.Equal(TestClients.PublicId, result.Client?.ClientId);
    }

    [Fact]
    public async Task Public_client_over_basic_with_an_empty_secret_authenticates()
    {
        var result = await AuthenticateAsync("Basic " + Base64(TestClients.PublicId + ":"));

        Assert.Equal(TestClients.PublicId, result.Client?.ClientId);
        Assert.True(result.BasicAttempted);
    }

    [Fact]
    public async Task Non_basic_authorization_scheme_falls_back_to_the_body()
    {
        var result = await AuthenticateAsync("Bearer abc", ("client_id", TestClients.PublicId));

        Assert.Equal(TestClients.PublicId, result.Client?.ClientId);
        Assert.False(result.BasicAttempted);
    }

    private Task<ClientAuthentication> AuthenticateAsync(string? authorization, params (string Name, string Value)[] form) =>
        _authenticator.AuthenticateAsync(Request(authorization, form), CancellationToken.None);

    private static OAuthRequest Request(string? authorization, params (string Name, string Value)[] form) => new()
    {
        Method = "POST",
        Origin = "https://as.example",
        HasFormBody = true,
        Form = form.ToDictionary(f => f.Name, f => new StringValues(f.Value), StringComparer.Ordinal),
        Authorization = authorization,
    };

    private static string Basic(string clientId, string secret) => "Basic " + Base64(FormEncode(clientId) + ":" + FormEncode(secret));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string FormEncode(string value) => Uri.EscapeDataString(value);
}
