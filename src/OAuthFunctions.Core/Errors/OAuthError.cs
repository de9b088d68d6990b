namespace OAuthFunctions.Core.Errors;

/// <summary>
/// An OAuth error as a value (RFC 6749 §4.1.2.1, §5.2): the registered code and a fixed, safe description that
/// never carries request data, exception text or storage detail. Only <see cref="OAuthErrors"/> creates them.
/// </summary>
public sealed record OAuthError
{
    private readonly int? _transportStatus;

    internal OAuthError(string code, string description, int? transportStatus = null)
    {
        Code = code;
        Description = description;
        _transportStatus = transportStatus;
    }

    public string Code { get; }

    public string Description { get; }

    /// <summary>
    /// The one place that maps a code to its HTTP status: 401 for <c>invalid_client</c> (RFC 6749 §5.2), 500 for
    /// <c>server_error</c>, 503 for <c>temporarily_unavailable</c>, 400 for everything else. An error about the size of
    /// the request itself keeps its HTTP status (413, 414: RFC 9110 §15.5.14, §15.5.15) with the code
    /// <c>invalid_request</c>, so that the client learns both what went wrong and that retrying unchanged is useless.
    /// </summary>
    public int StatusCode => _transportStatus ?? Code switch
    {
        OAuthErrorCodes.InvalidClient => 401,
        // RFC 6750 §3.1: invalid_token is 401, insufficient_scope 403.
        OAuthErrorCodes.InvalidToken => 401,
        OAuthErrorCodes.InsufficientScope => 403,
        OAuthErrorCodes.ServerError => 500,
        OAuthErrorCodes.TemporarilyUnavailable => 503,
        _ => 400,
    };
}
