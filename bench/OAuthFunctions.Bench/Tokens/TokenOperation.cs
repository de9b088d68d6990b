namespace OAuthFunctions.Bench.Tokens;

/// <summary>
/// One endpoint operation under test: its storage budget (docs/ARCHITECTURE.md, "Cost"), what the storage cost tests
/// assert with an uncached client, and how to prepare <c>n</c> single-use requests (codes and tokens issued beforehand).
/// </summary>
internal sealed record TokenOperation(
    string Name,
    string Budget,
    int AssertedUncached,
    Func<TokenFixture, int, Task<IReadOnlyList<Func<Task<bool>>>>> PrepareAsync);
