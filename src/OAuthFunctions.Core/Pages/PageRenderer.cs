using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Fluid;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Core.Pages;

/// <summary>
/// Renders the pages with Fluid (Liquid), which HTML-encodes every <c>{{ value }}</c>, so client names, usernames and
/// URLs cannot inject markup. Templates are parsed once: the built-in ones when the first page is rendered (building
/// the parser is the largest single cost of a cold start, and the token endpoints never render a page), an operator's
/// at start-up, so that a broken one fails start-up with its file name. Every page gets a fresh CSP nonce for its inline
/// stylesheet.
/// </summary>
public sealed class PageRenderer
{
    private readonly Lazy<Dictionary<PageTemplate, IFluidTemplate>> _templates;
    private readonly Lazy<TemplateOptions> _options = new(() => new TemplateOptions());

    public PageRenderer(OAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var overrides = options.TemplatesPath;
        _templates = new(() => Parse(overrides));
        if (overrides is not null)
        {
            _ = _templates.Value;
        }
    }

    public static string FileName(PageTemplate page) => page.ToString().ToLowerInvariant() + ".liquid";

    public OAuthResponse Render(PageTemplate page, int statusCode, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var context = new TemplateContext(_options.Value);
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        context.SetValue("nonce", nonce);
        context.SetValue("styles", PageStyles.Css);
        var html = _templates.Value[page].Render(context, HtmlEncoder.Default);
        return OAuthResponse.Page(statusCode, html, nonce);
    }

    /// <summary>An error page (django-oauth2-provider's <c>provider/error.html</c>).</summary>
    public OAuthResponse Error(int statusCode, string message, string title = "Authorization error") =>
        Render(PageTemplate.Error, statusCode, new Dictionary<string, object?> { ["title"] = title, ["message"] = message });

    /// <summary>A plain informational page.</summary>
    public OAuthResponse Message(string title, string message) =>
        Render(PageTemplate.Message, 200, new Dictionary<string, object?> { ["title"] = title, ["message"] = message });

    private static Dictionary<PageTemplate, IFluidTemplate> Parse(string? overrides)
    {
        var parser = new FluidParser();
        var templates = new Dictionary<PageTemplate, IFluidTemplate>();
        foreach (var page in Enum.GetValues<PageTemplate>())
        {
            var (source, origin) = Load(page, overrides);
            if (!parser.TryParse(source, out var template, out var error))
            {
                throw new OAuthConfigurationException($"The page template {origin} could not be parsed: {error}");
            }

            templates[page] = template;
        }

        return templates;
    }

    private static (string Source, string Origin) Load(PageTemplate page, string? overrides)
    {
        var file = FileName(page);
        if (overrides is not null && File.Exists(Path.Combine(overrides, file)))
        {
            var path = Path.Combine(overrides, file);
            return (File.ReadAllText(path), path);
        }

        using var stream = typeof(PageRenderer).Assembly.GetManifestResourceStream("OAuthFunctions.Templates." + file)
            ?? throw new InvalidOperationException($"The built-in template {file} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return (reader.ReadToEnd(), "built-in " + file);
    }
}
