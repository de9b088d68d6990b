using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Http;

/// <summary>
/// Writes an <see cref="OAuthResponse"/> to the wire. It needs no MVC services, so the Functions worker and the local
/// host execute it the same way.
/// </summary>
public sealed class OAuthActionResult(OAuthResponse response) : IActionResult
{
    public OAuthResponse Response { get; } = response;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext.Response;
        http.StatusCode = Response.StatusCode;
        foreach (var (name, value) in Response.Headers)
        {
            http.Headers[name] = value;
        }

        foreach (var cookie in Response.Cookies)
        {
            var options = new CookieOptions
            {
                HttpOnly = true,
                Secure = cookie.Secure,
                SameSite = SameSiteMode.Lax,
                Path = ResponseCookie.CookiePath,
                IsEssential = true,
            };
            if (cookie.Value is null)
            {
                http.Cookies.Delete(cookie.Name, options);
            }
            else
            {
                http.Cookies.Append(cookie.Name, cookie.Value, options);
            }
        }

        if (Response.Body is { } body)
        {
            http.ContentType = Response.ContentType;
            await http.WriteAsync(body, context.HttpContext.RequestAborted);
        }
        else
        {
            http.ContentLength = 0;
        }
    }
}
