using OAuthFunctions.Core.Clients;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Which grants the server serves, and which a new client gets by default (docs/BEHAVIOUR.md §9).</summary>
public sealed class GrantTypesTests
{
    [Fact]
    public void Implicit_is_enabled_only_with_the_token_response_type()
    {
        Assert.DoesNotContain(GrantTypes.Implicit, GrantTypes.Enabled(["code"]));
        Assert.Contains(GrantTypes.Implicit, GrantTypes.Enabled(["code", "token"]));
    }

    [Fact]
    public void Confidential_client_gets_every_enabled_grant_but_implicit_while_it_is_off() =>
        Assert.Equal(
            [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.Password, GrantTypes.ClientCredentials],
            GrantTypes.DefaultFor(ClientType.Confidential, ["code"]));

    [Fact]
    public void Public_client_never_gets_client_credentials() =>
        Assert.Equal(
            [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.Password, GrantTypes.Implicit],
            GrantTypes.DefaultFor(ClientType.Public, ["code", "token"]));
}
