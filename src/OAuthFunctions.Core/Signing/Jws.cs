using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// JWS compact serialization (RFC 7515 §7.1), written here rather than taken from a library: a JWT this server signs
/// is <c>BASE64URL(header) '.' BASE64URL(claims) '.' BASE64URL(signature)</c> over the first two parts, and reading one
/// back (an <c>id_token_hint</c>, a JWT access token) needs only the checks below. Small enough to audit line by line.
/// </summary>
public static class Jws
{
    /// <summary>The most characters a token this server reads may have (its own are a few hundred to 2,000).</summary>
    private const int MaxLength = 16 * 1024;

    /// <summary>Signs the claims <paramref name="writeClaims"/> writes (inside one JSON object) with <paramref name="key"/>.</summary>
    public static string Sign(SigningKey key, string type, Action<Utf8JsonWriter> writeClaims)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(writeClaims);

        // RFC 7515 §4.1: alg; §4.1.4 kid, so a verifier picks the key from the JWKS; §4.1.9 typ (RFC 9068 §2.1: at+jwt).
        var header = Json(writer =>
        {
            writer.WriteString("alg", key.Algorithm);
            writer.WriteString("kid", key.Kid);
            writer.WriteString("typ", type);
        });
        var claims = Json(writeClaims);
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// The claims of <paramref name="compact"/> if it is a JWS signed by one of <paramref name="keys"/> with that key's own
    /// algorithm, and its <c>typ</c> is <paramref name="type"/> (when given); null otherwise. The algorithm comes from the
    /// key, never from the token (RFC 8725 §3.1: <c>none</c> and algorithm substitution are refused).
    /// </summary>
    public static JsonElement? Verify(string? compact, Func<string, SigningKey?> keys, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (compact is null || compact.Length > MaxLength)
        {
            return null;
        }

        var parts = compact.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var claimsBytes) || !TryDecode(parts[2], out var signature))
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !TryString(header.RootElement, "kid", out var kid)
                || !TryString(header.RootElement, "alg", out var alg)
                || keys(kid) is not { } key
                || key.Algorithm != alg
                || (type is not null && !(TryString(header.RootElement, "typ", out var typ) && string.Equals(typ, type, StringComparison.OrdinalIgnoreCase)))
                // RFC 7515 §4.1.11: a critical extension this implementation does not know makes the JWS invalid.
                || header.RootElement.TryGetProperty("crit", out _))
            {
                return null;
            }

            if (!key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
            {
                return null;
            }

            using var claims = JsonDocument.Parse(claimsBytes);
            return claims.RootElement.ValueKind == JsonValueKind.Object ? claims.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether a presented token has the shape of a JWS (three base64url parts), before any verification.</summary>
    public static bool LooksLikeJws(string? value) => value is { Length: > 0 } && value.Count(c => c == '.') == 2;

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(part);
        return true;
    }

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = string.Empty;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString()!;
        return true;
    }
}
