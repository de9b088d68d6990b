using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// Validates bearer tokens against an OAuthFunctions server, for any host: the ASP.NET Core handler
/// (<c>AddOAuthFunctionsIntrospection</c>) uses it, and an Azure Functions app or anything else can call it with the
/// request's <c>Authorization</c> header (<c>AddOAuthFunctionsTokenValidator</c>). One instance per server and set of
/// credentials: it holds the metadata, the cache and the lookups in flight.
/// <list type="bullet">
/// <item>An active answer is reused for <see cref="OAuthFunctionsIntrospectionOptions.CacheDuration"/> at most, and
/// never past the token's <c>exp</c>; other answers are not kept. The cache is keyed by the token's SHA-256, so it holds
/// no token.</item>
/// <item>Concurrent lookups of one token share one call to the server.</item>
/// <item>When the server gives no definite answer the result is <see cref="BearerTokenStatus.Unavailable"/> (503): the
/// token is not accepted, and not called invalid either, so that a client does not throw a good token away.</item>
/// </list>
/// </summary>
public sealed class BearerTokenValidator : IDisposable
{
    private const int MaxCachedTokens = 10_000;

    private readonly Backchannel _backchannel;
    private readonly OAuthFunctionsIntrospectionOptions _options;
    private readonly string _authenticationType;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (IntrospectionAnswer Answer, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Lookup>>> _inFlight = new(StringComparer.Ordinal);

    internal BearerTokenValidator(OAuthFunctionsIntrospectionOptions options, string authenticationType, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _options = options;
        _authenticationType = authenticationType;
        _time = time;
        _backchannel = new Backchannel(options, time, logger);
    }

    /// <summary>Validates the bearer token of a request's <c>Authorization</c> header (all its values).</summary>
    public async Task<BearerTokenResult> ValidateAsync(StringValues authorization, CancellationToken cancellationToken)
    {
        var (status, token) = BearerHeader.Parse(authorization, _options.MaxAuthorizationHeaderLength);
        if (token is null)
        {
            return Result(status);
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var answer = Cached(key);
        if (answer is null)
        {
            // Each waiter may give up (its request was aborted); the shared call goes on for the others.
            var lookup = await SharedLookUpAsync(key, token).WaitAsync(cancellationToken);
            if (lookup.Answer is null)
            {
                return Result(lookup.Status);
            }

            answer = lookup.Answer;
        }

        // RFC 7662 §2.2: exp is when the token stops being valid; checked at every use, cached or just answered.
        if (answer.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            return Result(BearerTokenStatus.Invalid);
        }

        return new BearerTokenResult(BearerTokenStatus.Valid, Principal(answer), _options.Realm);
    }

    public void Dispose() => _backchannel.Dispose();

    /// <summary>
    /// One call to the server per token at a time: the first caller starts it, later ones wait for the same task, and
    /// it leaves the table when it ends (by then its answer is in the cache).
    /// </summary>
    private Task<Lookup> SharedLookUpAsync(string key, string token)
    {
        Lazy<Task<Lookup>>? created = null;
        var shared = _inFlight.GetOrAdd(key, _ => created = new Lazy<Task<Lookup>>(() => LookUpAsync(key, token)));
        var task = shared.Value;
        if (ReferenceEquals(shared, created))
        {
            _ = task.ContinueWith(
                _ => _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<Lookup>>>(key, shared)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return task;
    }

    private async Task<Lookup> LookUpAsync(string key, string token)
    {
        try
        {
            // Not the request's cancellation: other requests wait for this call. The backchannel's timeout bounds it.
            var answer = await _backchannel.IntrospectAsync(token, CancellationToken.None);
            if (answer is null)
            {
                return new Lookup(BearerTokenStatus.Invalid, null);
            }

            Remember(key, answer);
            return new Lookup(BearerTokenStatus.Valid, answer);
        }
        catch (Backchannel.UnavailableException)
        {
            return new Lookup(BearerTokenStatus.Unavailable, null);
        }
    }

    /// <summary>Only active answers, for the cache duration or until the token's exp, whichever comes first.</summary>
    private void Remember(string key, IntrospectionAnswer answer)
    {
        var until = _time.GetUtcNow() + _options.CacheDuration;
        if (answer.ExpiresAt is { } expires && expires < until)
        {
            until = expires;
        }

        if (until <= _time.GetUtcNow())
        {
            return;
        }

        // Bounded: when full it starts over, which costs only the calls it saved.
        if (_cache.Count >= MaxCachedTokens)
        {
            _cache.Clear();
        }

        _cache[key] = (answer, until);
    }

    private IntrospectionAnswer? Cached(string key)
    {
        if (!_cache.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.Until > _time.GetUtcNow())
        {
            return entry.Answer;
        }

        _cache.TryRemove(new KeyValuePair<string, (IntrospectionAnswer, DateTimeOffset)>(key, entry));
        return null;
    }

    private ClaimsPrincipal Principal(IntrospectionAnswer answer)
    {
        var claims = new List<Claim>();
        claims.AddRange(answer.Scopes.Select(scope => new Claim(OAuthFunctionsClaimTypes.Scope, scope)));
        if (answer.ClientId is { } clientId)
        {
            claims.Add(new Claim(OAuthFunctionsClaimTypes.ClientId, clientId));
        }

        if (answer.Subject is { } subject)
        {
            claims.Add(new Claim(OAuthFunctionsClaimTypes.Subject, subject));
        }

        if (answer.Username is { } username)
        {
            claims.Add(new Claim(OAuthFunctionsClaimTypes.Username, username));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, _authenticationType, OAuthFunctionsClaimTypes.Username, "role"));
    }

    private BearerTokenResult Result(BearerTokenStatus status) => new(status, null, _options.Realm);

    private sealed record Lookup(BearerTokenStatus Status, IntrospectionAnswer? Answer);
}
