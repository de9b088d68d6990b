using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OAuthFunctions.Core.Http;

/// <summary>
/// How every JSON the server and <c>oauthctl</c> write is escaped: only what JSON itself requires (RFC 8259 §7: the
/// quotation mark, the reverse solidus and the control characters U+0000 to U+001F), so an apostrophe stays
/// <c>'</c> and an offset stays <c>+00:00</c> instead of <c>\u0027</c> and <c>\u002B00:00</c>.
/// </summary>
/// <remarks>
/// System.Text.Json's default encoder also escapes the HTML-sensitive characters (<c>&lt; &gt; &amp; ' + `</c>) and
/// all non-ASCII, as a defence for JSON that a browser might read as HTML. That defence is not needed here, and
/// the relaxed encoder is safe, because:
/// <list type="bullet">
/// <item>every JSON response is <c>application/json; charset=utf-8</c> with <c>X-Content-Type-Options: nosniff</c>
/// (<see cref="OAuthResponse.Json{T}"/>), so a browser never renders one as HTML or runs it as a script, and the
/// charset is declared, so non-ASCII needs no escaping;</item>
/// <item>no value a client controls reaches a JSON body: error descriptions are constants (<c>OAuthErrors</c>),
/// tokens and ids are generated, scopes are configured names, and the issuer is a setting or a host name that the
/// web server has already validated;</item>
/// <item>JSON is never embedded in a page or a script here (pages are Liquid templates, which HTML-encode every
/// value), the one place where escaping <c>&lt;</c> would matter.</item>
/// </list>
/// </remarks>
public static class JsonEscaping
{
    /// <summary>The encoder: JSON's required escapes only; UTF-8 text stays as it is.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Serializes <paramref name="value"/> with <see cref="Encoder"/> (a source-generated context cannot carry an encoder).</summary>
    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder, Indented = indented }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
