namespace OAuthFunctions.Bench.Startup;

/// <param name="Runs">Cold starts per variant (interleaved: run 1 of every variant, then run 2, …).</param>
/// <param name="Variants">What to start: <c>bare</c>, or the local host published <c>jit</c> or <c>r2r</c>, each optionally
/// followed by environment variables for the process (<c>r2r+DOTNET_TieredPGO=0</c>).</param>
internal sealed record StartupBenchmarkOptions(int Runs, IReadOnlyList<string> Variants);
