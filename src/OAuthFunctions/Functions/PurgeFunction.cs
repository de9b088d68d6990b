using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Storage.Maintenance;

namespace OAuthFunctions.Functions;

/// <summary>
/// The purge timer (docs/BEHAVIOUR.md §8). The host resolves <c>%OAuth:PurgeSchedule%</c> from the app setting
/// <c>OAuth__PurgeSchedule</c>, which must therefore be set (local.settings.json and the Bicep template do).
/// </summary>
public sealed class PurgeFunction(TokenPurger purger)
{
    [Function("purge")]
    public Task Run([TimerTrigger("%OAuth:PurgeSchedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        purger.PurgeAsync(dryRun: false, maxItems: null, cancellationToken);
}
