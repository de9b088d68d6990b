using System.Reflection;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace OAuthFunctions.LocalHost;

/// <summary>
/// Runs the timer functions on their schedules, as the Functions host would: <c>%name%</c> is resolved against
/// configuration (the app setting <c>OAuth__PurgeSchedule</c> is the key <c>OAuth:PurgeSchedule</c>), the expression
/// is six-field NCRONTAB in UTC, and a failed run is logged and does not stop the schedule.
/// </summary>
public sealed partial class TimerService(
    IServiceProvider services,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerService> logger,
    Assembly functions) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FunctionCatalog.TimerFunctions(functions).Select(function => RunAsync(function, stoppingToken)));

    /// <summary>The schedule of a timer function after resolving a <c>%setting%</c> reference.</summary>
    public static CronExpression ResolveSchedule(TimerFunction function, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(configuration);
        var expression = function.Schedule;
        if (expression.Length > 2 && expression[0] == '%' && expression[^1] == '%')
        {
            var key = expression[1..^1];
            expression = configuration[key]
                ?? throw new InvalidOperationException($"The timer function '{function.Name}' needs the setting {key.Replace(":", "__", StringComparison.Ordinal)}.");
        }

        return CronExpression.Parse(expression, CronFormat.IncludeSeconds);
    }

    private async Task RunAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        FunctionInvoker.EnsureBindable(function.Method);
        var schedule = ResolveSchedule(function, configuration);
        DateTimeOffset? last = null;
        if (function.RunOnStartup)
        {
            await InvokeAsync(function, schedule, last, stoppingToken);
            last = time.GetUtcNow();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(time.GetUtcNow(), TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - time.GetUtcNow(), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await InvokeAsync(function, schedule, last, stoppingToken);
            last = next;
        }
    }

    private async Task InvokeAsync(TimerFunction function, CronExpression schedule, DateTimeOffset? last, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var timer = new TimerInfo
        {
            ScheduleStatus = new ScheduleStatus
            {
                Last = (last ?? now).UtcDateTime,
                Next = schedule.GetNextOccurrence(now, TimeZoneInfo.Utc)?.UtcDateTime ?? now.UtcDateTime,
                LastUpdated = now.UtcDateTime,
            },
        };
        try
        {
            await FunctionInvoker.InvokeTimerAsync(function, services, timer, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogTimerFailed(logger, function.Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    private static partial void LogTimerFailed(ILogger logger, string function, Exception exception);
}
