using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Bench.Purge;

/// <summary>
/// The rows a purge run meets, in the shapes the server writes. Everything is issued at <c>start</c>; the clock is then
/// moved to <see cref="PurgeAt"/>, by which the expired rows (codes, access tokens and expiring refresh tokens, a third
/// each) have expired over the past few hours. The live rows are what a store holds: access tokens expiring within the
/// next 1–24 hours (half), refresh tokens that never expire (the default, 45 %) and codes expiring within minutes (5 %).
/// </summary>
internal sealed class PurgeDataset
{
    private const string ClientId = "bench-client";

    private PurgeDataset(IReadOnlyList<TokenEntity> live, IReadOnlyList<TokenEntity> expired, DateTimeOffset purgeAt)
    {
        Live = live;
        Expired = expired;
        PurgeAt = purgeAt;
    }

    public IReadOnlyList<TokenEntity> Live { get; }

    public IReadOnlyList<TokenEntity> Expired { get; }

    /// <summary>The clock at purge time.</summary>
    public DateTimeOffset PurgeAt { get; }

    public static PurgeDataset Create(int live, int expired, DateTimeOffset start, int expiredHours, Random random)
    {
        var purgeAt = start + TimeSpan.FromHours(expiredHours + 1);
        var expiredRows = new List<TokenEntity>(expired);
        for (var i = 0; i < expired; i++)
        {
            // Spread over the past hours: expiredHours + 1 expiry-hour buckets per shard.
            var expiresAt = start + TimeSpan.FromSeconds(random.Next(1, expiredHours * 3600));
            expiredRows.Add((i % 3) switch
            {
                0 => Code(start, expiresAt),
                1 => Access(start, expiresAt),
                _ => Refresh(start, expiresAt),
            });
        }

        var liveRows = new List<TokenEntity>(live);
        for (var i = 0; i < live; i++)
        {
            var roll = random.Next(100);
            liveRows.Add(roll switch
            {
                < 50 => Access(start, purgeAt + TimeSpan.FromSeconds(random.Next(3600, 24 * 3600))),
                < 95 => Refresh(start, expiresAt: null),
                _ => Code(start, purgeAt + TimeSpan.FromSeconds(random.Next(60, 600))),
            });
        }

        return new PurgeDataset(liveRows, expiredRows, purgeAt);
    }

    private static TokenGrant Grant(DateTimeOffset issuedAt, DateTimeOffset? expiresAt) =>
        new(ClientId, "u1", "user", 2, issuedAt, expiresAt);

    private static TokenEntity Code(DateTimeOffset issuedAt, DateTimeOffset expiresAt) =>
        TokenEntity.ForCode(new NewCode(TokenHandle.Issue(TokenKind.AuthorizationCode, expiresAt), Grant(issuedAt, expiresAt), "https://client.example/callback", true, null));

    private static TokenEntity Access(DateTimeOffset issuedAt, DateTimeOffset expiresAt) =>
        TokenEntity.ForAccessToken(new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expiresAt), Grant(issuedAt, expiresAt)), null));

    /// <summary>A refresh token from before families: a row of its own in its expiry hour (families live outside purge ranges).</summary>
    private static TokenEntity Refresh(DateTimeOffset issuedAt, DateTimeOffset? expiresAt)
    {
        var handle = OAuthFunctions.Testing.Contracts.LegacyTokens.NewRefresh(expiresAt);
        var row = TokenEntity.From(TableKeys.TokenPartition(handle.Ref), TableKeys.TokenRow(handle.Ref), Grant(issuedAt, expiresAt));
        row.Rotated = false;
        return row;
    }
}
