namespace OAuthFunctions.Core.Errors;

/// <summary>
/// An OAuth error as a value (RFC 6749 §4.1.2.1, §5.2): the registered code and a fixed, safe description that
/// never carries request data, exception text or storage detail. Only <see cref="OAuthErrors"/> creates them.
/// </summary>
public sealed record OAuthError
{
    internal OAuthError(string code, string description)
    {
        Code = code;
        Description = description;
    }

    public string Code { get; }

    public string Description { get; }

    /// <summary>
    /// The one place that maps a code to its HTTP status: 401 for <c>invalid_client</c> (RFC 6749 §5.2), 500 for
    /// <c>server_error</c>, 503 for <c>temporarily_unavailable</c>, 400 for everything else.
    /// </summary>
    public int StatusCode => Code switch
    {
        OAuthErrorCodes.InvalidClient => 401,
        OAuthErrorCodes.ServerError => 500,
        OAuthErrorCodes.TemporarilyUnavailable => 503,
        _ => 400,
    };
}
