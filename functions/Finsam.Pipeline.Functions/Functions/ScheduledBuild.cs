using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// Build-and-publish of the controller's curated dataset on the schedule BUILD_SCHEDULE (default every 10 minutes). A tick
/// first takes in the files their events did not bring (in landing for more than
/// <see cref="IngestionService.LeftBehindAfter"/>: an event lost, dead-lettered or poisoned), so that nobody has to re-drive
/// them once the cause is gone; then it builds. A tick with nothing new ends at once; failed assertions are logged by the
/// core and nothing is published.
/// </summary>
public sealed class ScheduledBuild(IngestionService ingestion, BuildAndPublish job, ILogger<ScheduledBuild> logger)
{
    [Function("BuildAndPublish")]
    public async Task Run([TimerTrigger("%" + FinsamSettings.BuildSchedule + "%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct)
    {
        await IngestLeftBehindAsync(ct);
        await job.RunAsync(null, ct);
    }

    private async Task IngestLeftBehindAsync(CancellationToken ct)
    {
        try
        {
            var left = await ingestion.IngestLeftBehindAsync(IngestionService.LeftBehindAfter, ct);
            if (left.Files.Count > 0)
                logger.LogWarning("{Files} file(s) had been in landing for more than {Minutes} minutes without their event: {Done} taken in now, {Failed} still failing (each outcome is logged above)",
                    left.Files.Count, IngestionService.LeftBehindAfter.TotalMinutes, left.Files.Count(f => f.Status != FileStatus.Failed),
                    left.Files.Count(f => f.Status == FileStatus.Failed));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Landing or the reference data could not be read: the build goes on with what is curated; the next tick tries again.
            logger.LogError("Landing could not be checked for files left behind: {Error}", FreeTextMasker.Masked(e.Message));
        }
    }
}
