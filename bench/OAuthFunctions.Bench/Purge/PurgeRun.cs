namespace OAuthFunctions.Bench.Purge;

/// <summary>One measured purge: set-up, the purge itself, a second run with nothing left, the naive scan, and the checks.</summary>
internal sealed record PurgeRun
{
    public required int Live { get; init; }

    public required int Expired { get; init; }

    public required double InsertSeconds { get; init; }

    /// <summary>Rows in the partitions the purge's range queries cover: what the service examines.</summary>
    public required int RangeRows { get; init; }

    /// <summary>Partitions in those ranges.</summary>
    public required int RangePartitions { get; init; }

    /// <summary>Partitions in the whole table (what a full scan crosses).</summary>
    public required int TablePartitions { get; init; }

    /// <summary>The purge's own queries without its deletes (a dry run), to compare with the naive scan.</summary>
    public required int DryRunRequests { get; init; }

    public required double DryRunSeconds { get; init; }

    public required int DryRunFound { get; init; }

    public required RequestMix Purge { get; init; }

    public required double PurgeSeconds { get; init; }

    public required int Deleted { get; init; }

    public required RequestMix Rerun { get; init; }

    public required double RerunSeconds { get; init; }

    public required int NaiveRequests { get; init; }

    public required double NaiveSeconds { get; init; }

    public required int NaiveMatched { get; init; }

    /// <summary>Rows in the table after the purge (must be <see cref="Live"/>).</summary>
    public required int Remaining { get; init; }

    public required int ExpiredSampled { get; init; }

    public required int ExpiredSampleLeft { get; init; }

    public required int LiveSampled { get; init; }

    public required int LiveSampleLeft { get; init; }

    public bool Verified =>
        Deleted == Expired && Remaining == Live && ExpiredSampleLeft == 0 && LiveSampleLeft == LiveSampled;
}
