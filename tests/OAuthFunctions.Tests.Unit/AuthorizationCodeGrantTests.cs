using Microsoft.Extensions.Primitives;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>The code grant's replay rule (RFC 6749 §4.1.2) against the in-memory stores.</summary>
public sealed class AuthorizationCodeGrantTests
{
    private readonly GrantHarness _h = new();

    [Fact]
    public async Task A_second_use_of_a_code_revokes_the_family_it_started_even_after_rotations()
    {
        var user = await _h.AddUserAsync();
        var code = await IssueCodeAsync(user);
        var pair = (await ExchangeAsync(code)).Value!;
        var live = (await _h.RefreshAsync(pair.Refresh!.Handle.Value)).Value!;

        Assert.Equal(OAuthErrors.InvalidCode, (await ExchangeAsync(code)).Error);

        Assert.Null(await _h.Tokens.FindFamilyAsync(pair.Family!.Value, CancellationToken.None));
        Assert.Null(await _h.Tokens.FindAccessTokenAsync(live.Access.Handle, CancellationToken.None));
    }

    [Fact]
    public async Task The_family_a_code_starts_carries_the_stamp_of_the_sign_in_that_approved_it()
    {
        var user = await _h.AddUserAsync();
        var pair = (await ExchangeAsync(await IssueCodeAsync(user))).Value!;

        var family = (await _h.Tokens.FindFamilyAsync(pair.Family!.Value, CancellationToken.None))!;
        Assert.Equal(user.SecurityStamp, family.Grant.Stamp);
    }

    private async Task<string> IssueCodeAsync(Core.Users.User user)
    {
        var expires = _h.Time.GetUtcNow().AddMinutes(10);
        var code = new NewCode(
            TokenHandle.Issue(TokenKind.AuthorizationCode, expires),
            new TokenGrant(_h.Client.ClientId, user.UserId, user.Username, 6, _h.Time.GetUtcNow(), expires, user.SecurityStamp),
            TestClients.RedirectUri,
            true,
            null);
        await _h.Tokens.SaveCodeAsync(code, CancellationToken.None);
        return code.Handle.Value;
    }

    private Task<Result<NewTokenPair>> ExchangeAsync(string code) =>
        _h.Code.HandleAsync(
            new TokenRequest(
                GrantHarness.Post(new Dictionary<string, StringValues> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = TestClients.RedirectUri }),
                _h.Client),
            CancellationToken.None);
}
