namespace OAuthFunctions.Storage.Maintenance;

/// <summary>What one purge run deleted (or, in a dry run, would delete), per kind.</summary>
public sealed record PurgeReport
{
    public int Codes { get; init; }

    public int AccessTokens { get; init; }

    public int RefreshTokens { get; init; }

    /// <summary>Used refresh tokens from before families that never expire, deleted once reuse detection no longer needs them.</summary>
    public int RotatedRefreshTokens { get; init; }

    /// <summary>Refresh token families whose live token expired.</summary>
    public int Families { get; init; }

    /// <summary>Families still alive when purge reached their tombstone: the tombstone moved to their new expiry hour.</summary>
    public int FamiliesRescheduled { get; init; }

    public int Tombstones { get; init; }

    public int Total => Codes + AccessTokens + RefreshTokens + RotatedRefreshTokens + Families + Tombstones;

    /// <summary>False when the run stopped at its cap; the next run continues.</summary>
    public bool Complete { get; init; }

    public bool DryRun { get; init; }

    public TimeSpan Duration { get; init; }
}
