using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace OidcWebApp;

/// <summary>
/// A web app that signs people in with an OAuthFunctions server, configured as any OpenID Connect provider would be:
/// the authority's discovery document, the code flow with PKCE, the <c>openid profile email</c> scopes. Its home page
/// greets the person by the <c>name</c> claim of the ID token; <c>/logout</c> signs out here and at the server
/// (RP-initiated logout through the <c>end_session_endpoint</c>).
/// </summary>
internal static class SampleApp
{
    /// <param name="args">Command line; <c>Oidc:Authority</c>, <c>Oidc:ClientId</c>, <c>Oidc:ClientSecret</c> are required.</param>
    /// <param name="configure">Test hooks (Kestrel endpoints, logging) applied before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var oidc = builder.Configuration.GetSection("Oidc");
        builder.Services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(options =>
            {
                options.Authority = oidc["Authority"];
                options.ClientId = oidc["ClientId"];
                options.ClientSecret = oidc["ClientSecret"];

                // Only for a server on plain http on this machine; a deployed server has an https issuer.
                options.RequireHttpsMetadata = !string.Equals(oidc["AllowHttpAuthority"], "true", StringComparison.OrdinalIgnoreCase);
                options.ResponseType = OpenIdConnectResponseType.Code;

                // The server answers in the query (RFC 6749 §4.1.2); the handler's default is form_post.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                options.Scope.Add("email");
                options.SaveTokens = true;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "name";
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", (HttpContext context) =>
        {
            var user = context.User;
            var body = user.Identity?.IsAuthenticated == true
                ? $"<h1>Hello, {WebUtility.HtmlEncode(user.Identity.Name)}</h1><p id=\"sub\">{WebUtility.HtmlEncode(user.FindFirst("sub")?.Value)}</p><p><a href=\"/logout\">Sign out</a></p>"
                : "<h1>Welcome</h1><p><a href=\"/login\">Sign in</a></p>";
            return Results.Content($"<!DOCTYPE html><html lang=\"en\"><title>Sample app</title><body>{body}</body></html>", "text/html; charset=utf-8");
        });
        app.MapGet("/login", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/logout", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        return app;
    }
}
