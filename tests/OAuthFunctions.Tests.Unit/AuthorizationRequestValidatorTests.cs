using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Authorization request validation in the order of docs/BEHAVIOUR.md §5: client and redirect URI errors are shown to the person;
/// every later error goes back to the client's redirect URI (RFC 6749 §4.1.2.1).
/// </summary>
public sealed class AuthorizationRequestValidatorTests
{
    private const string OtherRedirectUri = "https://c.example/other";
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static readonly OAuthOptions CodeAndToken = new() { ResponseTypes = ["code", "token"] };

    [Fact]
    public async Task Unknown_client_id_is_a_page_error()
    {
        var result = await ValidateAsync(Code(("client_id", "nobody")));

        Assert.Equal(AuthorizationRequestValidator.UnauthorizedClientMessage, result.PageError);
        Assert.Equal("An unauthorized client tried to access your resources.", result.PageError);
        Assert.Null(result.RedirectError);
        Assert.Null(result.Request);
    }

    [Fact]
    public async Task Missing_client_id_is_a_page_error()
    {
        var result = await ValidateAsync(Parameters(("response_type", "code")));

        Assert.Equal(AuthorizationRequestValidator.UnauthorizedClientMessage, result.PageError);
    }

    [Fact]
    public async Task Duplicated_client_id_is_a_page_error_not_a_redirect()
    {
        var parameters = Code(("client_id", TestClients.ConfidentialId));
        parameters["client_id"] = [TestClients.ConfidentialId, TestClients.ConfidentialId];

        var result = await ValidateAsync(parameters);

        Assert.Equal(AuthorizationRequestValidator.UnauthorizedClientMessage, result.PageError);
        Assert.Null(result.RedirectError);
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_a_page_error()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("redirect_uri", "https://evil.example/cb")));

        Assert.Equal("The requested redirect didn't match the client settings.", result.PageError);
        Assert.Null(result.RedirectError);
    }

    [Theory]
    [InlineData("https://c.example/cb/")]
    [InlineData("https://c.example/cb?x=1")]
    [InlineData("https://C.example/cb")]
    [InlineData("https://c.example/c")]
    public async Task Redirect_uri_must_match_a_registered_one_exactly(string redirectUri)
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("redirect_uri", redirectUri)));

        Assert.Equal(AuthorizationRequestValidator.RedirectMismatchMessage, result.PageError);
    }

    [Fact]
    public async Task Absent_redirect_uri_while_the_client_has_several_is_a_page_error()
    {
        var store = new InMemoryClientStore(TestClients.Confidential(TestClients.RedirectUri, OtherRedirectUri));

        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId)), store);

        Assert.Equal(AuthorizationRequestValidator.RedirectMismatchMessage, result.PageError);
    }

    [Fact]
    public async Task Duplicated_redirect_uri_is_a_page_error()
    {
        var parameters = Code(("client_id", TestClients.ConfidentialId));
        parameters["redirect_uri"] = [TestClients.RedirectUri, TestClients.RedirectUri];

        var result = await ValidateAsync(parameters);

        Assert.Equal(AuthorizationRequestValidator.RedirectMismatchMessage, result.PageError);
    }

    [Fact]
    public async Task Unknown_client_is_reported_before_a_bad_redirect_uri()
    {
        var result = await ValidateAsync(Code(("client_id", "nobody"), ("redirect_uri", "https://evil.example/cb")));

        Assert.Equal(AuthorizationRequestValidator.UnauthorizedClientMessage, result.PageError);
    }

    [Fact]
    public async Task Bad_redirect_uri_is_shown_even_when_later_checks_would_fail_too()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.ConfidentialId), ("redirect_uri", "https://evil.example/cb")));

        Assert.Equal(AuthorizationRequestValidator.RedirectMismatchMessage, result.PageError);
        Assert.Null(result.RedirectError);
    }

    [Fact]
    public async Task Absent_redirect_uri_with_one_registered_uses_it()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId)));

        Assert.Equal(TestClients.RedirectUri, result.Request?.RedirectUri);
        Assert.False(result.Request!.RedirectUriGiven);
    }

    [Fact]
    public async Task Given_redirect_uri_among_several_registered_is_used()
    {
        var store = new InMemoryClientStore(TestClients.Confidential(TestClients.RedirectUri, OtherRedirectUri));

        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("redirect_uri", OtherRedirectUri)), store);

        Assert.Equal(OtherRedirectUri, result.Request?.RedirectUri);
        Assert.True(result.Request!.RedirectUriGiven);
    }

    [Fact]
    public async Task Missing_response_type_redirects_invalid_request()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.ConfidentialId), ("state", "xyz")));

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
        Assert.Equal(OAuthErrors.MissingResponseType.Description, result.RedirectError!.Parameters["error_description"]);
    }

    [Fact]
    public async Task Token_while_only_code_is_enabled_is_unsupported_response_type()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.ConfidentialId), ("response_type", "token")));

        AssertRedirectError(result, OAuthErrorCodes.UnsupportedResponseType);
        Assert.False(result.RedirectError!.InFragment);
    }

    [Theory]
    [InlineData("id_token")]
    [InlineData("code token")]
    [InlineData("CODE")]
    public async Task Unknown_response_type_is_unsupported_response_type(string responseType)
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.ConfidentialId), ("response_type", responseType)), options: CodeAndToken);

        AssertRedirectError(result, OAuthErrorCodes.UnsupportedResponseType);
    }

    [Fact]
    public async Task Enabled_token_flow_puts_errors_in_the_fragment()
    {
        var result = await ValidateAsync(
            Parameters(("client_id", TestClients.ConfidentialId), ("response_type", "token"), ("scope", "admin")),
            options: CodeAndToken);

        AssertRedirectError(result, OAuthErrorCodes.InvalidScope);
        Assert.True(result.RedirectError!.InFragment);
    }

    [Fact]
    public async Task Code_flow_errors_go_in_the_query_even_when_token_is_enabled()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("scope", "admin")), options: CodeAndToken);

        Assert.False(result.RedirectError!.InFragment);
    }

    [Fact]
    public async Task Enabled_token_flow_gives_a_valid_implicit_request_without_challenge()
    {
        var result = await ValidateAsync(
            Parameters(("client_id", TestClients.PublicId), ("response_type", "token")),
            options: CodeAndToken);

        Assert.True(result.Request?.IsImplicit);
        Assert.Null(result.Request!.CodeChallenge);
    }

    [Fact]
    public async Task Response_type_the_client_may_not_use_is_unauthorized_client()
    {
        var store = new InMemoryClientStore(TestClients.Confidential() with { GrantTypes = [GrantTypes.AuthorizationCode] });

        var result = await ValidateAsync(
            Parameters(("client_id", TestClients.ConfidentialId), ("response_type", "token")),
            store,
            options: CodeAndToken);

        AssertRedirectError(result, OAuthErrorCodes.UnauthorizedClient);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("read admin")]
    [InlineData("READ")]
    public async Task Unknown_scope_is_invalid_scope(string scope)
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("scope", scope)));

        AssertRedirectError(result, OAuthErrorCodes.InvalidScope);
    }

    [Theory]
    [InlineData("write")]
    [InlineData("read write")]
    public async Task Scope_beyond_the_clients_is_invalid_scope(string scope)
    {
        var store = new InMemoryClientStore(TestClients.Confidential() with { Scope = Scope.Read });

        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("scope", scope)), store);

        AssertRedirectError(result, OAuthErrorCodes.InvalidScope);
    }

    [Fact]
    public async Task Public_client_code_request_without_challenge_is_invalid_request()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.PublicId), ("response_type", "code")));

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
        Assert.Equal(OAuthErrors.PkceRequired.Description, result.RedirectError!.Parameters["error_description"]);
    }

    [Fact]
    public async Task Plain_challenge_method_is_invalid_request()
    {
        var result = await ValidateAsync(Parameters(
            ("client_id", TestClients.PublicId), ("response_type", "code"), ("code_challenge", Challenge), ("code_challenge_method", "plain")));

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task Challenge_without_method_is_invalid_request_because_it_means_plain()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.PublicId), ("response_type", "code"), ("code_challenge", Challenge)));

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task Method_without_challenge_is_invalid_request()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("code_challenge_method", Pkce.S256)));

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")]
    public async Task Malformed_challenge_is_invalid_request(string challenge)
    {
        var result = await ValidateAsync(Parameters(
            ("client_id", TestClients.PublicId), ("response_type", "code"), ("code_challenge", challenge), ("code_challenge_method", Pkce.S256)));

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task Confidential_client_without_pkce_is_valid()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId)));

        Assert.NotNull(result.Request);
        Assert.Null(result.Request.CodeChallenge);
    }

    [Fact]
    public async Task Public_client_with_s256_challenge_is_valid_and_carries_it()
    {
        var result = await ValidateAsync(Parameters(
            ("client_id", TestClients.PublicId), ("response_type", "code"), ("code_challenge", Challenge), ("code_challenge_method", Pkce.S256)));

        Assert.Equal(Challenge, result.Request?.CodeChallenge);
    }

    [Fact]
    public async Task Duplicated_scope_is_an_invalid_request_redirect()
    {
        var parameters = Code(("client_id", TestClients.ConfidentialId), ("state", "xyz"));
        parameters["scope"] = ["read", "write"];

        var result = await ValidateAsync(parameters);

        AssertRedirectError(result, OAuthErrorCodes.InvalidRequest);
        Assert.Equal(OAuthErrors.DuplicateParameter.Description, result.RedirectError!.Parameters["error_description"]);
    }

    [Fact]
    public async Task State_is_carried_into_error_redirects()
    {
        const string State = "a b&c#d";

        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("scope", "admin"), ("state", State)));

        Assert.Equal(State, result.RedirectError?.Parameters["state"]);
    }

    [Fact]
    public async Task Error_redirect_without_state_has_no_state_parameter()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("scope", "admin")));

        Assert.False(result.RedirectError!.Parameters.ContainsKey("state"));
    }

    [Fact]
    public async Task Error_redirect_goes_to_the_requested_registered_uri()
    {
        var store = new InMemoryClientStore(TestClients.Confidential(TestClients.RedirectUri, OtherRedirectUri));

        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("redirect_uri", OtherRedirectUri), ("scope", "admin")), store);

        Assert.Equal(OtherRedirectUri, result.RedirectError?.RedirectUri);
    }

    [Fact]
    public async Task Missing_response_type_is_reported_before_a_bad_scope()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.ConfidentialId), ("scope", "admin")));

        Assert.Equal(OAuthErrors.MissingResponseType.Description, result.RedirectError?.Parameters["error_description"]);
    }

    [Fact]
    public async Task Unsupported_response_type_is_reported_before_a_bad_scope()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.ConfidentialId), ("response_type", "id_token"), ("scope", "admin")));

        AssertRedirectError(result, OAuthErrorCodes.UnsupportedResponseType);
    }

    [Fact]
    public async Task Bad_scope_is_reported_before_missing_pkce()
    {
        var result = await ValidateAsync(Parameters(("client_id", TestClients.PublicId), ("response_type", "code"), ("scope", "admin")));

        AssertRedirectError(result, OAuthErrorCodes.InvalidScope);
    }

    [Fact]
    public async Task Valid_request_carries_client_redirect_uri_scope_state_and_challenge()
    {
        var result = await ValidateAsync(Parameters(
            ("client_id", TestClients.PublicId),
            ("response_type", "code"),
            ("redirect_uri", TestClients.RedirectUri),
            ("scope", "write"),
            ("state", "xyz"),
            ("code_challenge", Challenge),
            ("code_challenge_method", Pkce.S256)));

        var request = result.Request;
        Assert.NotNull(request);
        Assert.Null(result.PageError);
        Assert.Null(result.RedirectError);
        Assert.Equal(TestClients.PublicId, request.Client.ClientId);
        Assert.Equal(TestClients.RedirectUri, request.RedirectUri);
        Assert.True(request.RedirectUriGiven);
        Assert.Equal("code", request.ResponseType);
        Assert.Equal(Scope.Write, request.Scope);
        Assert.Equal("xyz", request.State);
        Assert.Equal(Challenge, request.CodeChallenge);
    }

    [Fact]
    public async Task Absent_scope_is_the_first_defined_scope()
    {
        var registry = new ScopeRegistry(["photos", "albums"]);
        var store = new InMemoryClientStore(TestClients.Confidential() with { Scope = registry.All });

        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId)), store, registry);

        Assert.Equal(registry.ToInt("photos"), result.Request?.Scope);
    }

    [Fact]
    public async Task Absent_scope_with_default_settings_is_read() =>
        Assert.Equal(Scope.Read, (await ValidateAsync(Code(("client_id", TestClients.ConfidentialId)))).Request?.Scope);

    [Fact]
    public async Task Requested_scope_is_used_exactly_without_the_first_scope_or_ed_in() =>
        Assert.Equal(Scope.Write, (await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("scope", "write")))).Request?.Scope);

    [Fact]
    public async Task Empty_parameters_count_as_absent()
    {
        var result = await ValidateAsync(Code(("client_id", TestClients.ConfidentialId), ("redirect_uri", string.Empty), ("scope", string.Empty), ("state", string.Empty)));

        Assert.Equal(TestClients.RedirectUri, result.Request?.RedirectUri);
        Assert.Equal(Scope.Read, result.Request!.Scope);
        Assert.Null(result.Request.State);
    }

    private static void AssertRedirectError(AuthorizationValidation result, string code)
    {
        Assert.Null(result.PageError);
        Assert.Null(result.Request);
        Assert.NotNull(result.RedirectError);
        Assert.Equal(code, result.RedirectError.Parameters["error"]);
        Assert.False(string.IsNullOrEmpty(result.RedirectError.Parameters["error_description"]));
        Assert.Contains(result.RedirectError.RedirectUri, new[] { TestClients.RedirectUri, OtherRedirectUri });
    }

    private static Task<AuthorizationValidation> ValidateAsync(
        Dictionary<string, string[]> parameters,
        IClientStore? store = null,
        ScopeRegistry? scopes = null,
        OAuthOptions? options = null)
    {
        var validator = new AuthorizationRequestValidator(
            store ?? new InMemoryClientStore(TestClients.Confidential(), TestClients.Public()),
            scopes ?? ScopeRegistry.Default,
            options ?? new OAuthOptions());
        return validator.ValidateAsync(parameters, CancellationToken.None);
    }

    /// <summary>A <c>response_type=code</c> request with the given parameters.</summary>
    private static Dictionary<string, string[]> Code(params (string Name, string Value)[] parameters) =>
        Parameters([("response_type", "code"), .. parameters]);

    private static Dictionary<string, string[]> Parameters(params (string Name, string Value)[] parameters) =>
        parameters.ToDictionary(p => p.Name, p => new[] { p.Value }, StringComparer.Ordinal);
}
