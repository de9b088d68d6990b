using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using OAuthFunctions.Bench.Reporting;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing.Contracts;

namespace OAuthFunctions.Bench.IdTokens;

/// <summary>
/// CPU cost of one ID token (docs/BEHAVIOUR.md §11), RS256 against ES256: the server's own <see cref="SignedTokens.IdToken"/>
/// (claims, at_hash, JWS), and a verification as a relying party does it. No storage: signing reads none.
/// </summary>
internal sealed class IdTokenBenchmark(int count, int warmup)
{
    public Task<bool> RunAsync(BenchReport report)
    {
        var table = new MarkdownTable("algorithm", "sign µs mean", "sign µs p50", "sign µs p99", "verify µs mean", $"signed/s on {Environment.ProcessorCount} threads", "ID token bytes");
        foreach (var algorithm in SigningAlgorithms.Supported)
        {
            BenchReport.Progress($"{algorithm}: {warmup} warm-up and {count} measured signatures");
            table.Add([algorithm, .. Measure(algorithm)]);
        }

        report.Line($"{count:N0} sequential ID tokens per algorithm after {warmup:N0} warm-up ones; then {count:N0} spread over {Environment.ProcessorCount} threads.").Line();
        report.Table(table);
        return Task.FromResult(true);
    }

    private object[] Measure(string algorithm)
    {
        var now = DateTimeOffset.UtcNow;
        var options = new OAuthOptions { SigningAlgorithm = algorithm };
        using var keys = new SigningKeys(new InMemorySigningKeyStore(), new EphemeralDataProtectionProvider(), options, TimeProvider.System, NullLogger<SigningKeys>.Instance);
        var signer = new SignedTokens(keys, new ScopeRegistry(options.Scopes), TimeProvider.System);
        var key = SigningKey.Generate(algorithm, now, now);
        var grant = new TokenGrant("client-0123456789abcdef", "2f6c1d0e9b8a47c6a1d2e3f405162738", "alice", ScopeRegistry.OpenIdBit | ScopeRegistry.ProfileBit, now, now.AddHours(1), "stamp", now);
        var identity = new IdentityClaims(now, "n-0S6_WzA2Mj", new UserProfile("Alice Example", "alice@example.com", true));
        const string AccessToken = "a20493285Kx9vTq3mZ7wYc2HfL0pR8sN4dJ6gB1eA5uXoWiVtQ";
        string Sign() => signer.IdToken(key, grant, identity, AccessToken, "https://login.example.com");

        for (var i = 0; i < warmup; i++)
        {
            Sign();
        }

        var signTimes = new double[count];
        var token = string.Empty;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            token = Sign();
            signTimes[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        var verifyStarted = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            _ = Jws.Verify(token, _ => key, SignedTokens.IdTokenType) ?? throw new InvalidOperationException("A token did not verify.");
        }

        var verifyMean = Stopwatch.GetElapsedTime(verifyStarted).TotalMicroseconds / count;
        var parallelStarted = Stopwatch.GetTimestamp();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, _ => Sign());
        var perSecond = count / Stopwatch.GetElapsedTime(parallelStarted).TotalSeconds;
        return [signTimes.Average(), Stats.Median(signTimes), Stats.Percentile(signTimes, 99), verifyMean, perSecond, token.Length];
    }
}
