using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// A single-page app, the kind docs/CONSUMING.md describes: a public client that discovers the server (RFC 8414), runs
/// the code flow with PKCE (RFC 7636) and redeems the code with <c>fetch</c>, all from script. The same page is served
/// on two loopback ports, so from two origins other than the server's: one a client allows, one it does not.
/// </summary>
public sealed class SpaSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SpaSite(WebApplication app, string[] origins)
    {
        _app = app;
        AllowedOrigin = origins[0];
        OtherOrigin = origins[1];
    }

    /// <summary>The origin the test registers for the client.</summary>
    public string AllowedOrigin { get; }

    /// <summary>The same page, from an origin no client allows.</summary>
    public string OtherOrigin { get; }

    public static async Task<SpaSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page);
        });
        await app.StartAsync();
        var origins = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address).GetLeftPart(UriPartial.Authority)).ToArray();
        return new SpaSite(app, origins);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// The app: "/" starts sign-in (<c>?server=…&amp;client=…</c>), "/callback" redeems the code and then revokes the
    /// token with a request the browser must preflight (an <c>Authorization</c> header). What it learnt is shown in
    /// <c>#result</c>; a <c>fetch</c> the browser refuses shows "refused".
    /// </summary>
    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Notes SPA</title></head>
        <body>
        <h1>Notes</h1>
        <button id="sign-in">Sign in</button>
        <output id="result"></output>
        <script>
        const result = document.getElementById("result");
        const redirectUri = location.origin + "/callback";
        const base64Url = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

        async function signIn() {
          const query = new URLSearchParams(location.search);
          const clientId = query.get("client");
          let metadata;
          try {
            metadata = await (await fetch(query.get("server") + "/.well-known/oauth-authorization-server")).json();
          } catch (error) {
            result.textContent = "refused: metadata";
            return;
          }
          const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
          const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
          const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
          sessionStorage.setItem("flow", JSON.stringify({ clientId, verifier, state, token: metadata.token_endpoint, revocation: metadata.revocation_endpoint }));
          location.assign(metadata.authorization_endpoint + "?" + new URLSearchParams({
            response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: "read", state,
            code_challenge: challenge, code_challenge_method: "S256" }));
        }

        async function callback() {
          const flow = JSON.parse(sessionStorage.getItem("flow"));
          const query = new URLSearchParams(location.search);
          if (query.get("state") !== flow.state) {
            result.textContent = "state mismatch";
            return;
          }
          let tokens;
          try {
            const response = await fetch(flow.token, { method: "POST", body: new URLSearchParams({
              grant_type: "authorization_code", code: query.get("code"), redirect_uri: redirectUri,
              client_id: flow.clientId, code_verifier: flow.verifier }) });
            tokens = { status: response.status, ...(await response.json()) };
          } catch (error) {
            result.textContent = "refused: token";
            return;
          }
          let revoked;
          try {
            const response = await fetch(flow.revocation, { method: "POST",
              headers: { "Authorization": "Basic " + btoa(encodeURIComponent(flow.clientId) + ":") },
              body: new URLSearchParams({ token: tokens.access_token, token_type_hint: "access_token" }) });
            revoked = response.status;
          } catch (error) {
            revoked = "refused";
          }
          result.textContent = JSON.stringify({ status: tokens.status, token_type: tokens.token_type, scope: tokens.scope,
            has_access_token: typeof tokens.access_token === "string", revoked });
        }

        document.getElementById("sign-in").addEventListener("click", signIn);
        if (location.pathname === "/callback") {
          callback();
        }
        </script>
        </body>
        </html>
        """;
}
