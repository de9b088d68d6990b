using System.Text;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Clients;

/// <summary>
/// Client authentication (RFC 6749 §2.3): HTTP Basic or <c>client_id</c> + <c>client_secret</c> in the body, never
/// both; public clients send <c>client_id</c> only. One client read (none when cached). Every failure is a security
/// event (the client id and address, never the secret).
/// </summary>
public sealed class ClientAuthenticator(IClientStore clients, SecurityLog security)
{
    private const string BasicPrefix = "Basic ";

    public async Task<ClientAuthentication> AuthenticateAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bodyId = FormParameters.Get(request.Form, "client_id");
        var bodySecret = FormParameters.Get(request.Form, "client_secret");
        var basic = request.Authorization is { } header && header.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase);

        string? clientId;
        string? secret;
        if (basic)
        {
            if (!TryDecodeBasic(request.Authorization![BasicPrefix.Length..], out clientId, out secret))
            {
                return Fail(OAuthErrors.ClientAuthenticationFailed, basic: true, clientId: null, request);
            }

            // RFC 6749 §2.3: the client MUST NOT use more than one authentication method in each request.
            if (bodySecret is not null || (bodyId is not null && bodyId != clientId))
            {
                return Fail(OAuthErrors.MultipleClientAuthentication, basic: true, clientId: null, request);
            }
        }
        else
        {
            clientId = bodyId;
            secret = bodySecret;
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return Fail(OAuthErrors.ClientAuthenticationFailed, basic, clientId: null, request);
        }

        var client = await clients.FindAsync(clientId, cancellationToken);
        if (client is null || !SecretMatches(client, secret))
        {
            return Fail(OAuthErrors.ClientAuthenticationFailed, basic, client?.ClientId, request);
        }

        return ClientAuthentication.Success(client, basic);
    }

    /// <summary>
    /// The client a request names, before anything is checked: the HTTP Basic user id when the header decodes, else the
    /// <c>client_id</c> parameter. For decisions that only need to know whom the request is for (CORS); authentication
    /// is <see cref="AuthenticateAsync"/>.
    /// </summary>
    public static string? NamedClientId(OAuthRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Authorization is { } header && header.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase)
            ? TryDecodeBasic(header[BasicPrefix.Length..], out var clientId, out _) ? clientId : null
            : FormParameters.Get(request.Form, "client_id");
    }

    private ClientAuthentication Fail(OAuthError error, bool basic, string? clientId, OAuthRequest request)
    {
        // Only the id of a registered client is logged: an unknown "id" may be a secret pasted into the wrong field.
        security.ClientAuthenticationFailed(clientId, request.RemoteAddress);
        return ClientAuthentication.Failure(error, basic);
    }

    private static bool SecretMatches(Client client, string? secret)
    {
        if (client.IsPublic)
        {
            // RFC 6749 §2.1: a public client has no secret to present.
            return string.IsNullOrEmpty(secret);
        }

        return !string.IsNullOrEmpty(secret) && client.SecretHash is { } hash && SecretHasher.Verify(secret, hash);
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ':' and base64-encoded.</summary>
    private static bool TryDecodeBasic(string encoded, out string? clientId, out string? secret)
    {
        clientId = null;
        secret = null;
        Span<byte> buffer = stackalloc byte[512];
        if (encoded.Length > 680 || !Convert.TryFromBase64String(encoded.Trim(), buffer, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        clientId = FormDecode(decoded[..colon]);
        secret = FormDecode(decoded[(colon + 1)..]);
        return clientId is not null && secret is not null;
    }

    private static string? FormDecode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
