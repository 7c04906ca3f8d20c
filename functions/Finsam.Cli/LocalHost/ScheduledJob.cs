using Cronos;
using Finsam.Pipeline.Privacy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Finsam.Pipeline.Failures;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// A job at each occurrence of a six-field NCRONTAB expression (seconds first), in UTC as the Functions timers read it. A
/// run that fails is logged and the next occurrence runs as usual. On shutdown a run in progress is cancelled; a version
/// exists only once its manifest is committed, so nothing is left half published.
/// </summary>
public abstract class ScheduledJob(PipelineTurns turns, TimeProvider clock, ILogger logger, string jobName, string expression, Func<CancellationToken, Task> job)
    : BackgroundService
{
    /// <summary>Task.Delay waits at most about 49 days; a longer wait is made of shorter ones.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(expression, CronFormat.IncludeSeconds);
        var next = schedule.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc);
        logger.LogInformation("{Job} on the schedule {Schedule} (UTC); next run at {NextRun:u}", jobName, expression, next);
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
            logger.LogWarning("The schedule {Schedule} has no further occurrence; {Job} runs no more", expression, jobName);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped the schedule of {Job}", jobName);
        }
    }

    /// <summary>One run; the core logs what it published, or the assertions that failed.</summary>
    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await job(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("{Job} cancelled by the shutdown; a version not yet committed is not published", jobName);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError("{Job} failed: {Error}; the next run is on schedule", jobName,
                FreeTextMasker.Masked(e is FixableException ? e.Message : e.ToString()));
        }
    }
}
