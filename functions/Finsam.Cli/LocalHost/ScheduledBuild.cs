using Cronos;
using Finsam.Pipeline;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The local twin of the Functions app's timer trigger: <see cref="BuildAndPublish"/> at each occurrence of
/// <see cref="PublishingSettings.BuildSchedule"/> (six fields, seconds first), in UTC as the Functions timer reads it. A
/// run that fails is logged and the next occurrence runs as usual. On shutdown a run in progress is cancelled; a version
/// exists only once its manifest is committed, so nothing is left half published.
/// </summary>
public sealed class ScheduledBuild(BuildAndPublish job, PipelineTurns turns, IOptions<FinsamOptions> options, TimeProvider clock, ILogger<ScheduledBuild> logger)
    : BackgroundService
{
    /// <summary>Task.Delay waits at most about 49 days; a longer wait is made of shorter ones.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expression = options.Value.Publishing.BuildSchedule;
        var schedule = CronExpression.Parse(expression, CronFormat.IncludeSeconds);
        var next = schedule.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc);
        logger.LogInformation("Build and publish on the schedule {Schedule} (UTC); next run at {NextRun:u}", expression, next);
        try
        {
            while (next is { } due)
            {
                for (var wait = due - clock.GetUtcNow(); wait > TimeSpan.Zero; wait = due - clock.GetUtcNow())
                    await Task.Delay(wait < LongestWait ? wait : LongestWait, clock, stoppingToken);
                using (await turns.TakeAsync(stoppingToken)) await RunAsync(stoppingToken);
                // From the occurrence just run, so that a timer that fires a little early does not run it twice.
                var now = clock.GetUtcNow();
                next = schedule.GetNextOccurrence(now > due ? now : due, TimeZoneInfo.Utc);
            }
            logger.LogWarning("The schedule {Schedule} has no further occurrence; no more builds", expression);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped the build schedule");
        }
    }

    /// <summary>One run; the core logs what it published, or the assertions that failed.</summary>
    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await job.RunAsync(null, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Build and publish cancelled by the shutdown; a version not yet committed is not published");
            throw;
        }
        catch (Exception e)
        {
            logger.LogError("Build and publish failed: {Error}; the next run is on schedule",
                FreeTextMasker.Mask(e is FixableException ? e.Message : e.ToString()).Text);
        }
    }
}
