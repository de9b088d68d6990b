using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.DataProtection;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// The login session, the authorization flow and the login form's anti-forgery token, each in its own cookie named
/// from <c>SessionKey</c> (<c>{key}_session</c>, <c>{key}_flow</c>, <c>{key}_csrf</c>), encrypted and authenticated with
/// ASP.NET Core Data Protection. State costs no storage round trip and survives across instances.
/// </summary>
public sealed class FlowCookies
{
    /// <summary>How long a started authorization may sit on the consent page.</summary>
    public static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(30);

    private readonly IDataProtector _session;
    private readonly IDataProtector _flow;
    private readonly IDataProtector _csrf;
    private readonly OAuthOptions _options;
    private readonly TimeProvider _time;

    public FlowCookies(IDataProtectionProvider protection, OAuthOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(protection);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time;
        _session = protection.CreateProtector("OAuthFunctions.LoginSession.v1");
        _flow = protection.CreateProtector("OAuthFunctions.Flow.v1");
        _csrf = protection.CreateProtector("OAuthFunctions.LoginCsrf.v1");
    }

    public string SessionCookie => _options.SessionKey + "_session";

    public string FlowCookie => _options.SessionKey + "_flow";

    public string CsrfCookie => _options.SessionKey + "_csrf";

    /// <summary>A fresh anti-forgery token (128 random bits).</summary>
    public static string NewCsrf() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Fixed-time comparison of a submitted anti-forgery token with the expected one.</summary>
    public static bool CsrfMatches(string? submitted, string? expected) =>
        submitted is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(submitted), Encoding.UTF8.GetBytes(expected));

    public LoginSession? ReadSession(OAuthRequest request)
    {
        var session = Unprotect(_session, request, SessionCookie, FlowJsonContext.Default.LoginSession);
        return session is not null && session.ExpiresAt > _time.GetUtcNow() ? session : null;
    }

    public ResponseCookie WriteSession(LoginSession session, OAuthRequest request) =>
        Protect(_session, SessionCookie, session, FlowJsonContext.Default.LoginSession, request);

    public FlowState? ReadFlow(OAuthRequest request)
    {
        var flow = Unprotect(_flow, request, FlowCookie, FlowJsonContext.Default.FlowState);
        return flow is not null && flow.ExpiresAt > _time.GetUtcNow() ? flow : null;
    }

    public ResponseCookie WriteFlow(FlowState flow, OAuthRequest request) =>
        Protect(_flow, FlowCookie, flow, FlowJsonContext.Default.FlowState, request);

    public string? ReadCsrf(OAuthRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookie(CsrfCookie) is { } value && TryUnprotect(_csrf, value, out var csrf) ? csrf : null;
    }

    public ResponseCookie WriteCsrf(string csrf, OAuthRequest request) => new(CsrfCookie, ProtectOrFault(_csrf, csrf), Secure(request));

    public ResponseCookie Clear(string name, OAuthRequest request) => ResponseCookie.Delete(name, Secure(request));

    public DateTimeOffset NewFlowExpiry() => _time.GetUtcNow() + FlowLifetime;

    public DateTimeOffset Now() => _time.GetUtcNow();

    /// <summary>When the person behind <paramref name="session"/> entered their password.</summary>
    public DateTimeOffset SignedInAt(LoginSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.SignedInAt(_options.LoginLifetime);
    }

    public DateTimeOffset NewSessionExpiry() => _time.GetUtcNow() + _options.LoginLifetime;

    private bool Secure(OAuthRequest request) => request.IsSecure || _options.EnforceSecure;

    private ResponseCookie Protect<T>(IDataProtector protector, string name, T value, JsonTypeInfo<T> type, OAuthRequest request) =>
        new(name, ProtectOrFault(protector, JsonSerializer.Serialize(value, type)), Secure(request));

    /// <summary>Protects, turning an unreachable key ring into <see cref="StorageUnavailableException"/> (503).</summary>
    private static string ProtectOrFault(IDataProtector protector, string plain)
    {
        try
        {
            return protector.Protect(plain);
        }
        catch (CryptographicException ex) when (StorageFault(ex) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>The storage outage behind a Data Protection failure, if that is what it was.</summary>
    private static StorageUnavailableException? StorageFault(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is StorageUnavailableException fault)
            {
                return fault;
            }
        }

        return null;
    }

    private static T? Unprotect<T>(IDataProtector protector, OAuthRequest request, string name, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cookie(name) is not { } value || !TryUnprotect(protector, value, out var json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json!, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A cookie that was tampered with, or protected with a key this ring does not have, is simply absent.</summary>
    private static bool TryUnprotect(IDataProtector protector, string value, out string? plain)
    {
        try
        {
            plain = protector.Unprotect(value);
            return true;
        }
        catch (CryptographicException ex) when (StorageFault(ex) is { } fault)
        {
            // Not a forged cookie: the key ring could not be read. Answer 503, do not sign the person out.
            throw fault;
        }
        catch (CryptographicException)
        {
            plain = null;
            return false;
        }
    }
}
