namespace OAuthFunctions.Core.Stores;

/// <summary>The outcome of a single-use claim (code redemption, refresh token rotation).</summary>
public enum CommitResult
{
    /// <summary>This request won: its tokens are stored and the code or old refresh token is spent.</summary>
    Committed,

    /// <summary>Another request spent it first; this request's tokens were removed again.</summary>
    AlreadyUsed,

    /// <summary>
    /// The check that ran alongside the writes failed (the user changed), so nothing was committed and this request's
    /// tokens were removed again; the code or refresh token was not spent.
    /// </summary>
    Withdrawn,
}
