namespace OAuthFunctions.Core.Pages;

/// <summary>
/// The built-in pages' stylesheet, inlined under a CSP nonce (no external assets). Readable on a phone (long client
/// names, URLs and e-mail-style usernames wrap instead of scrolling sideways), WCAG AA contrast, visible focus, and it
/// follows the system's dark mode.
/// </summary>
internal static class PageStyles
{
    public const string Css = """
        :root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1b1f24;--muted:#4a525c;--line:#d0d5db;--accent:#0b57d0;--accent-text:#fff;--danger:#b3261e;--focus:#1a73e8}
        @media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1d2126;--text:#eef0f2;--muted:#b8c0c8;--line:#3a4048;--accent:#8ab4f8;--accent-text:#0b1a33;--danger:#f2b8b5;--focus:#8ab4f8}}
        *{box-sizing:border-box}
        body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:16px}
        main{width:100%;max-width:420px;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:28px;overflow-wrap:anywhere}
        h1{font-size:1.4rem;margin:0 0 12px}
        p{margin:0 0 16px;color:var(--muted)}
        p.lead{color:var(--text)}
        label{display:block;font-weight:600;margin:0 0 6px}
        input[type=text],input[type=password]{width:100%;padding:10px 12px;font:inherit;color:var(--text);background:var(--card);border:1px solid var(--muted);border-radius:8px;margin:0 0 16px}
        button{font:inherit;font-weight:600;padding:10px 18px;border-radius:8px;border:1px solid var(--accent);cursor:pointer;min-height:44px}
        button.primary{background:var(--accent);color:var(--accent-text)}
        button.secondary{background:transparent;color:var(--text);border-color:var(--muted)}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .actions{display:flex;gap:12px;flex-wrap:wrap;margin-top:8px}
        .actions button{flex:1 1 140px}
        .error{color:var(--danger);font-weight:600}
        ul.scopes{margin:0 0 20px;padding-left:20px}
        ul.scopes li{margin:4px 0}
        .client{font-weight:700;color:var(--text)}
        a{color:var(--accent)}
        """;
}
