using System.Text.RegularExpressions;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Pages: built-in and operator templates, HTML encoding, and the page headers of docs/BEHAVIOUR.md §1.</summary>
public sealed partial class PageRendererTests : IDisposable
{
    private const string Script = "<script>alert(1)</script>";

    private readonly PageRenderer _builtIn = new(new OAuthOptions());
    private readonly DirectoryInfo _templates = Directory.CreateTempSubdirectory("oauth-templates-");

    public static TheoryData<PageTemplate> Pages => [.. Enum.GetValues<PageTemplate>()];

    public void Dispose() => _templates.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(Pages))]
    public void Built_in_template_renders_html_with_the_given_status(PageTemplate page)
    {
        var response = _builtIn.Render(page, 418, Values());

        Assert.Equal(418, response.StatusCode);
        Assert.Equal(OAuthResponse.HtmlContentType, response.ContentType);
        Assert.StartsWith("<!DOCTYPE html>", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Operator_login_template_replaces_the_built_in_one()
    {
        File.WriteAllText(Path.Combine(_templates.FullName, "login.liquid"), "<p>Operator sign-in for {{ username }}</p>");
        var renderer = new PageRenderer(new OAuthOptions { TemplatesPath = _templates.FullName });

        var response = renderer.Render(PageTemplate.Login, 200, Values(("username", "alice")));

        Assert.Equal("<p>Operator sign-in for alice</p>", response.Body);
    }

    [Fact]
    public void Pages_without_an_operator_template_stay_built_in()
    {
        File.WriteAllText(Path.Combine(_templates.FullName, "login.liquid"), "<p>Operator sign-in</p>");
        var renderer = new PageRenderer(new OAuthOptions { TemplatesPath = _templates.FullName });

        var consent = renderer.Render(PageTemplate.Consent, 200, Values());

        var builtIn = _builtIn.Render(PageTemplate.Consent, 200, Values());
        Assert.Equal(WithoutNonce(builtIn.Body!), WithoutNonce(consent.Body!));
        Assert.Contains("Approve", consent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_operator_template_fails_construction_naming_the_file()
    {
        File.WriteAllText(Path.Combine(_templates.FullName, "consent.liquid"), "{% if %}broken{% endif");

        var error = Assert.Throws<OAuthConfigurationException>(() => new PageRenderer(new OAuthOptions { TemplatesPath = _templates.FullName }));

        Assert.Contains("consent.liquid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_name_is_html_encoded_on_the_consent_page()
    {
        var response = _builtIn.Render(PageTemplate.Consent, 200, Values(("client_name", Script)));

        Assert.DoesNotContain(Script, response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", response.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_descriptions_are_html_encoded_on_the_consent_page()
    {
        var values = Values();
        values["scopes"] = new List<string> { Script };

        var response = _builtIn.Render(PageTemplate.Consent, 200, values);

        Assert.DoesNotContain(Script, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Username_cannot_break_out_of_the_login_form_attribute()
    {
        const string Attack = "\"><img src=x onerror=alert(1)>";

        var response = _builtIn.Render(PageTemplate.Login, 200, Values(("username", Attack)));

        Assert.DoesNotContain("<img", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\">", response.Body!.Split("name=\"username\"")[1].Split('>')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Error_message_is_html_encoded()
    {
        var response = _builtIn.Error(400, Script);

        Assert.DoesNotContain(Script, response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_forbids_framing(PageTemplate page)
    {
        var response = _builtIn.Render(page, 200, Values());

        Assert.Equal("DENY", response.Headers["X-Frame-Options"]);
        Assert.Contains("frame-ancestors 'none'", response.Headers["Content-Security-Policy"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_sends_no_referrer(PageTemplate page) =>
        Assert.Equal("no-referrer", _builtIn.Render(page, 200, Values()).Headers["Referrer-Policy"]);

    [Theory]
    [MemberData(nameof(Pages))]
    public void Csp_style_nonce_matches_the_style_element(PageTemplate page)
    {
        var response = _builtIn.Render(page, 200, Values());

        var cspNonce = CspNonce().Match(response.Headers["Content-Security-Policy"]);
        var htmlNonce = StyleNonce().Match(response.Body!);
        Assert.True(cspNonce.Success, "no style nonce in the CSP");
        Assert.True(htmlNonce.Success, "no <style nonce> in the page");
        Assert.Equal(cspNonce.Groups[1].Value, htmlNonce.Groups[1].Value);
    }

    [Fact]
    public void Csp_allows_no_inline_script()
    {
        var csp = _builtIn.Render(PageTemplate.Login, 200, Values()).Headers["Content-Security-Policy"];

        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
    }

    [Fact]
    public void Nonces_differ_between_renders()
    {
        var first = CspNonce().Match(_builtIn.Render(PageTemplate.Login, 200, Values()).Headers["Content-Security-Policy"]).Groups[1].Value;
        var second = CspNonce().Match(_builtIn.Render(PageTemplate.Login, 200, Values()).Headers["Content-Security-Policy"]).Groups[1].Value;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Error_and_message_helpers_carry_the_page_headers()
    {
        Assert.Equal("DENY", _builtIn.Error(400, "Authorization session has expired.").Headers["X-Frame-Options"]);
        Assert.Equal("DENY", _builtIn.Message("Signed out", "You are signed out.").Headers["X-Frame-Options"]);
    }

    [Fact]
    public void Error_page_shows_its_message_and_status()
    {
        var response = _builtIn.Error(400, "Authorization session has expired.");

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("Authorization session has expired.", response.Body, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] overrides)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["action"] = "/oauth2/authorize/confirm",
            ["csrf"] = "csrf-token",
            ["client_name"] = "Example app",
            ["client_url"] = "https://c.example",
            ["username"] = "alice",
            ["scopes"] = new List<string> { "Read your data (read)" },
            ["next"] = "/oauth2/authorize",
            ["error"] = null,
            ["title"] = "Title",
            ["message"] = "Message",
        };
        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return values;
    }

    private static string WithoutNonce(string html) => StyleNonce().Replace(html, "<style>");

    [GeneratedRegex("style-src 'nonce-([^']+)'")]
    private static partial Regex CspNonce();

    [GeneratedRegex("<style nonce=\"([^\"]+)\">")]
    private static partial Regex StyleNonce();
}
