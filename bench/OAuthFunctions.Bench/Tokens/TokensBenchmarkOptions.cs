namespace OAuthFunctions.Bench.Tokens;

internal sealed record TokensBenchmarkOptions(int Count, int CodeCount, int Concurrency, int Warmup, int CostSamples);
