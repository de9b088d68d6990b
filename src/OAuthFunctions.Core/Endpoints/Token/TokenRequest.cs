using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>A token request whose client is authenticated and allowed the grant type.</summary>
public sealed record TokenRequest(OAuthRequest Http, Client Client)
{
    /// <summary>A body parameter (single value; empty counts as absent).</summary>
    public string? Param(string name) => FormParameters.Get(Http.Form, name);
}
