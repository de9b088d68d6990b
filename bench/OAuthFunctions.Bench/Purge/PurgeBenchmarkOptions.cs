namespace OAuthFunctions.Bench.Purge;

internal sealed record PurgeBenchmarkOptions(
    IReadOnlyList<int> Live,
    int Expired,
    int Repetitions,
    int LargeThreshold,
    int LargeRepetitions,
    int ExpiredHours);
