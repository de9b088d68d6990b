using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// A token request whose client is authenticated and allowed the grant type, with the read its grant started while the
/// client was being authenticated (<see cref="IGrantHandler.StartReadAhead"/>), if any.
/// </summary>
public sealed record TokenRequest(OAuthRequest Http, Client Client, ReadAhead? ReadAhead = null)
{
    /// <summary>A body parameter (single value; empty counts as absent).</summary>
    public string? Param(string name) => FormParameters.Get(Http.Form, name);
}
