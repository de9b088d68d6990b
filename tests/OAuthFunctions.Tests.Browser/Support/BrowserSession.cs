using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// One person at one browser: a fresh context (no cookies) with one page, plus what the page reported to the console
/// (a Content-Security-Policy violation, such as a blocked inline stylesheet, shows up there).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _consoleErrors = new();

    private BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // The pages declare an empty icon, so Chromium's /favicon.ico request does not happen: any error counts.
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue(message.Text + " (" + message.Location + ")");
            }
        };
        page.PageError += (_, error) => _consoleErrors.Enqueue(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    public static async Task<BrowserSession> OpenAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    /// <summary>The names of the cookies the browser would send to this server's <c>/oauth2/</c> pages.</summary>
    public async Task<IReadOnlyList<string>> CookieNamesAsync(Uri server) =>
        [.. (await Context.CookiesAsync([new Uri(server, "/oauth2/authorize").ToString()])).Select(c => c.Name)];

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
