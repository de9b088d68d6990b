using System.Reflection;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Security;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Review of issue 9's "Done when": docs/ARCHITECTURE.md describes families and their race analysis (not the chain walk
/// they replaced), and docs/OPERATIONS.md lists every security event with its id and the KQL that finds them.
/// </summary>
public sealed class ReviewDocsTests
{
    [Fact]
    public void The_operations_guide_lists_every_security_event_and_a_query()
    {
        var operations = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "OPERATIONS.md"));
        var events = typeof(SecurityLog).GetMethods()
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

        Assert.NotEmpty(events);
        var missing = events.Where(e => !operations.Contains(e.EventName!, StringComparison.Ordinal) || !operations.Contains(e.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).Select(e => $"{e.EventId} {e.EventName}").ToList();
        Assert.True(missing.Count == 0, "docs/OPERATIONS.md does not list: " + string.Join(", ", missing));
        Assert.Contains(SecurityLog.Category, operations, StringComparison.Ordinal);
    }

    [Fact]
    public void The_architecture_guide_describes_families_not_the_chain_walk()
    {
        var architecture = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "ARCHITECTURE.md"));

        Assert.DoesNotContain("follows the successor pointers", architecture, StringComparison.Ordinal);
        Assert.Contains("famil", architecture, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Revoked", architecture, StringComparison.Ordinal);
        Assert.Contains("stamp", architecture, StringComparison.OrdinalIgnoreCase);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OAuthFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }
}
