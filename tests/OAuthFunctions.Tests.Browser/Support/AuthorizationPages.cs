using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>What a person does on the authorization pages, through the accessible names a screen reader would use.</summary>
internal static class AuthorizationPages
{
    public const string LoginPath = "/oauth2/login";
    public const string ConfirmPath = "/oauth2/authorize/confirm";

    /// <summary>The client's link to this server: <c>/oauth2/authorize?…</c> with the given parameters.</summary>
    public static string AuthorizeUrl(TestClient client, string state, string scope = "read write", string? codeChallenge = null)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("response_type", "code"),
            new("client_id", client.ClientId),
            new("redirect_uri", client.RedirectUri),
            new("scope", scope),
            new("state", state),
        };
        if (codeChallenge is not null)
        {
            query.Add(new("code_challenge", codeChallenge));
            query.Add(new("code_challenge_method", "S256"));
        }

        return "/oauth2/authorize" + QueryString.Create(query);
    }

    /// <summary>Fills the login form by its labels and presses "Sign in".</summary>
    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens the client's authorize link and signs in; returns when the consent page is shown.</summary>
    public static async Task OpenConsentAsync(IPage page, TestClient client, string username, string password, string state, string scope = "read write", string? codeChallenge = null)
    {
        await page.GotoAsync(AuthorizeUrl(client, state, scope, codeChallenge));
        await page.WaitForURLAsync("**" + LoginPath + "?**");
        await SignInAsync(page, username, password);
        await page.WaitForURLAsync("**" + ConfirmPath);
    }

    /// <summary>Waits until the browser is back at the client's redirect URI; returns its query parameters.</summary>
    public static async Task<Dictionary<string, string>> ClientCallbackAsync(IPage page, TestClient client)
    {
        await page.WaitForURLAsync(url => url.StartsWith(client.RedirectUri + "?", StringComparison.Ordinal));
        var url = new Uri(page.Url);
        return QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>A PKCE verifier (RFC 7636 §4.1: 43 characters from 32 random bytes) and its S256 challenge (§4.2).</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}
