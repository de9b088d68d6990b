namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>The outcome to deliver to the client: its redirect URI and the parameters, in the query or the fragment.</summary>
public sealed record FlowResult(string RedirectUri, bool InFragment, Dictionary<string, string> Parameters)
{
    /// <summary>
    /// The URI to redirect to. A query already in the registered URI is kept (RFC 6749 §3.1.2); parameters go in the
    /// fragment for the implicit flow (§4.2.2).
    /// </summary>
    public string ToLocation()
    {
        var encoded = string.Join('&', Parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        if (InFragment)
        {
            return RedirectUri + "#" + encoded;
        }

        var separator = !RedirectUri.Contains('?', StringComparison.Ordinal) ? "?" : RedirectUri.EndsWith('?') || RedirectUri.EndsWith('&') ? string.Empty : "&";
        return RedirectUri + separator + encoded;
    }
}
