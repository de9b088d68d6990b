namespace OAuthFunctions.Storage.Maintenance;

/// <summary>What one purge run deleted (or, in a dry run, would delete), per kind.</summary>
public sealed record PurgeReport
{
    public int Codes { get; init; }

    public int AccessTokens { get; init; }

    public int RefreshTokens { get; init; }

    /// <summary>Rotated refresh tokens that never expire, deleted once reuse detection no longer needs them.</summary>
    public int RotatedRefreshTokens { get; init; }

    public int Tombstones { get; init; }

    public int Total => Codes + AccessTokens + RefreshTokens + RotatedRefreshTokens + Tombstones;

    /// <summary>False when the run stopped at its cap; the next run continues.</summary>
    public bool Complete { get; init; }

    public bool DryRun { get; init; }

    public TimeSpan Duration { get; init; }
}
