using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// The server's signing keys: generated here, stored only after Data Protection encrypted the private part, rotated on
/// a schedule (docs/BEHAVIOUR.md §11). A new key is added <see cref="PublicationLead"/> before it signs anything, so
/// clients that cache the JWKS see it first; a key leaves the JWKS only when everything it signed has expired.
/// <para>
/// Every instance keeps the set in memory and refreshes it in the background every <see cref="RefreshInterval"/>, so
/// signing costs no storage request; only the first use on a cold instance reads the ring (one point read). The
/// refresh is also when a due rotation is written, by whichever instance sees it first: the write is conditional on
/// the version read, and the others read the winner's key.
/// </para>
/// </summary>
public sealed partial class SigningKeys : IDisposable
{
    /// <summary>How often an instance re-reads the ring in the background.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>How far clocks of clients may lag ours; a key stays published this much longer.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>At most this many keys are kept: a rotation beyond it is refused rather than outgrowing one row.</summary>
    public const int MaxKeys = 8;

    private const int MaxWriteAttempts = 5;

    private readonly ISigningKeyStore _store;
    private readonly IDataProtector _protector;
    private readonly OAuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningKeys> _logger;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private SigningKeySet? _set;
    private int _refreshing;

    public SigningKeys(ISigningKeyStore store, IDataProtectionProvider protection, OAuthOptions options, TimeProvider time, ILogger<SigningKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(protection);
        _store = store;
        _protector = protection.CreateProtector("OAuthFunctions.SigningKey.v1");
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// How long before it signs a new key is published: a day (ASP.NET Core's OpenID Connect handler, among others,
    /// re-reads metadata daily), or half a key's lifetime when that is shorter.
    /// </summary>
    public TimeSpan PublicationLead => TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, _options.SigningKeyLifetime.Ticks / 2));

    /// <summary>Lifetime of an ID token.</summary>
    public TimeSpan IdTokenLifetime => _options.IdTokenLifetime;

    /// <summary>How long after it stops signing a key stays published: the longest lifetime of what it signs, plus skew.</summary>
    public TimeSpan SignedLifetime =>
        (_options.IdTokenLifetime > _options.JwtAccessTokenLifetime ? _options.IdTokenLifetime : _options.JwtAccessTokenLifetime) + ClockSkew;

    /// <summary>The keys in force: from memory, refreshed in the background when older than <see cref="RefreshInterval"/>.</summary>
    public async ValueTask<SigningKeySet> CurrentAsync(CancellationToken cancellationToken)
    {
        var set = Volatile.Read(ref _set);
        if (set is null)
        {
            return await LoadAsync(cancellationToken);
        }

        if (_time.GetUtcNow() - set.LoadedAt >= RefreshInterval && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(RefreshInBackgroundAsync, CancellationToken.None);
        }

        return set;
    }

    /// <summary>The key that signs now.</summary>
    public async ValueTask<SigningKey> SigningKeyAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).SigningAt(_time.GetUtcNow())
        ?? throw new InvalidOperationException("No signing key could be loaded.");

    /// <summary>The claims of a JWT this server signed with a key it still publishes, or null (see <see cref="Jws.Verify"/>).</summary>
    public async ValueTask<JsonElement?> VerifyAsync(string? compact, string type, CancellationToken cancellationToken)
    {
        if (!Jws.LooksLikeJws(compact))
        {
            return null;
        }

        var set = await CurrentAsync(cancellationToken);
        var now = _time.GetUtcNow();
        return Jws.Verify(compact, kid => set.Find(kid, now), type);
    }

    /// <summary>Reads the ring, writes a due rotation, and makes the result the instance's set.</summary>
    public async Task<SigningKeySet> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
            {
                var ring = await _store.ReadAsync(cancellationToken);
                var stored = ring?.Keys ?? [];
                var planned = Plan(stored, _time.GetUtcNow());
                if (planned is null)
                {
                    return Publish(stored);
                }

                if (await _store.TryWriteAsync(planned, ring?.Version, cancellationToken))
                {
                    LogRingChanged(_logger, planned.Count, planned[^1].Kid, planned[^1].ActivatesAt);
                    return Publish(planned);
                }
            }

            throw new InvalidOperationException("The signing key ring kept changing while it was being rotated.");
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>
    /// <c>oauthctl keys rotate</c>: adds a key that signs after <see cref="PublicationLead"/>, or at once with
    /// <paramref name="immediately"/> (after a compromise: clients that cached the JWKS then meet an unknown <c>kid</c>
    /// and re-read it; a key published ahead that has not signed yet is dropped, as it was kept the same way as the
    /// compromised one). The key it replaces stays published until what it signed has expired.
    /// </summary>
    public async Task<SigningKeySet> RotateAsync(bool immediately, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var ring = await _store.ReadAsync(cancellationToken);
            var now = _time.GetUtcNow();
            var kept = Unexpired(ring?.Keys ?? [], now);
            if (immediately)
            {
                kept.RemoveAll(k => k.ActivatesAt > now);
            }

            if (kept.Count >= MaxKeys)
            {
                throw new InvalidOperationException($"{kept.Count} keys are still published; wait until older keys expire before rotating again.");
            }

            var activates = immediately ? now : now + PublicationLead;
            kept.Add(Store(SigningKey.Generate(_options.SigningAlgorithm, now, activates)));
            if (await _store.TryWriteAsync(kept, ring?.Version, cancellationToken))
            {
                LogRingChanged(_logger, kept.Count, kept[^1].Kid, activates);
                return await LoadAsync(cancellationToken);
            }
        }

        throw new InvalidOperationException("The signing key ring kept changing while it was being rotated.");
    }

    /// <summary>
    /// The ring as it should be at <paramref name="now"/>, or null when it needs no change: keys whose signed tokens have
    /// all expired are dropped; a first key is created when there is none (no client can have cached a JWKS yet); the
    /// next key is added <see cref="PublicationLead"/> before the newest one has signed for <c>SigningKeyLifetime</c>,
    /// or at once (to sign after the lead) when the configured algorithm changed.
    /// </summary>
    private List<StoredSigningKey>? Plan(IReadOnlyList<StoredSigningKey> stored, DateTimeOffset now)
    {
        var kept = Unexpired(stored, now);
        var changed = kept.Count != stored.Count;
        var latest = kept.Count > 0 ? kept[^1] : null;
        DateTimeOffset? activates = latest switch
        {
            null => now,
            _ when latest.Algorithm != _options.SigningAlgorithm => now + PublicationLead,
            _ when now >= latest.ActivatesAt + _options.SigningKeyLifetime - PublicationLead =>
                Later(latest.ActivatesAt + _options.SigningKeyLifetime, now + PublicationLead),
            _ => null,
        };
        if (activates is { } at)
        {
            kept.Add(Store(SigningKey.Generate(_options.SigningAlgorithm, now, at)));
            changed = true;
        }

        return changed ? kept : null;
    }

    /// <summary>The stored keys in activation order, without those unpublished before <paramref name="now"/> (never the newest).</summary>
    private List<StoredSigningKey> Unexpired(IReadOnlyList<StoredSigningKey> stored, DateTimeOffset now)
    {
        var ordered = stored.OrderBy(k => k.ActivatesAt).ThenBy(k => k.CreatedAt).ToList();
        return [.. ordered.Where((key, i) => i == ordered.Count - 1 || ordered[i + 1].ActivatesAt + SignedLifetime > now)];
    }

    private SigningKeySet Publish(IReadOnlyList<StoredSigningKey> stored)
    {
        var ordered = stored.OrderBy(k => k.ActivatesAt).ThenBy(k => k.CreatedAt).ToList();
        var keys = new List<SigningKey>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (Load(ordered[i]) is { } key)
            {
                key.Schedule(i + 1 < ordered.Count ? ordered[i + 1].ActivatesAt : null, SignedLifetime);
                keys.Add(key);
            }
        }

        var set = new SigningKeySet(keys, _time.GetUtcNow());
        Volatile.Write(ref _set, set);
        return set;
    }

    private StoredSigningKey Store(SigningKey key) =>
        new(key.Kid, key.Algorithm, key.CreatedAt, key.ActivatesAt, Base64Url.EncodeToString(_protector.Protect(key.ExportPkcs8())));

    private SigningKey? Load(StoredSigningKey stored)
    {
        try
        {
            var pkcs8 = _protector.Unprotect(Base64Url.DecodeFromChars(stored.ProtectedPrivateKey));
            return new SigningKey(stored.Kid, stored.Algorithm, pkcs8, stored.CreatedAt, stored.ActivatesAt);
        }
        catch (CryptographicException ex) when (StorageFault(ex) is { } fault)
        {
            // The Data Protection key ring could not be read: a storage outage (503), not a bad key.
            throw fault;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentOutOfRangeException)
        {
            // A key whose Data Protection key is gone cannot sign or verify; the others still can.
            LogUnreadableKey(_logger, stored.Kid, ex.GetType().Name);
            return null;
        }
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await LoadAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or InvalidOperationException or CryptographicException)
        {
            // The keys in memory stay in force; the next use tries again.
            LogRefreshFailed(_logger, ex.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    public void Dispose() => _loading.Dispose();

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static StorageUnavailableException? StorageFault(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is StorageUnavailableException fault)
            {
                return fault;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key ring written: {Count} keys, newest {Kid} signs from {ActivatesAt:O}")]
    private static partial void LogRingChanged(ILogger logger, int count, string kid, DateTimeOffset activatesAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing key {Kid} cannot be decrypted ({ExceptionType}); it is left out")]
    private static partial void LogUnreadableKey(ILogger logger, string kid, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the signing keys failed ({ExceptionType}); the keys in memory stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, string exceptionType);
}
