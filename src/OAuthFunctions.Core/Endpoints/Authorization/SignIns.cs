using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// The sign-in a request carries, if it still stands: the cookie is valid and unexpired, and its user still exists,
/// is enabled and has the security stamp the sign-in was made under. A password change, a disable or a removal ends
/// every open sign-in (through the per-instance cache of <see cref="ActiveUsers"/>: at once on the instance that made
/// the change, within <c>ClientCacheLifetime</c> elsewhere).
/// </summary>
public sealed class SignIns(FlowCookies cookies, ActiveUsers activeUsers, SecurityLog security)
{
    public async Task<LoginSession?> CurrentAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        if (cookies.ReadSession(request) is not { } session)
        {
            return null;
        }

        if (await activeUsers.IsActiveAsync(session.Username, session.UserId, session.Stamp, cancellationToken))
        {
            return session;
        }

        security.SessionEnded(session.UserId);
        return null;
    }
}
