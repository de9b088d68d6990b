namespace OAuthFunctions.Bench.Tails;

/// <param name="Repetitions">Rounds; each runs every storage floor and every GC mode once per connection count.</param>
/// <param name="Connections">wrk connections (requests in flight).</param>
/// <param name="Seconds">Length of each measured wrk run.</param>
/// <param name="GcModes">Runtime GC settings to compare (see <see cref="TailsBenchmark.Modes"/>).</param>
internal sealed record TailsBenchmarkOptions(int Repetitions, IReadOnlyList<int> Connections, int Seconds, IReadOnlyList<string> GcModes);
