using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Publishing;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// Build-and-publish of the controller's curated dataset on the schedule BUILD_SCHEDULE (default every 10 minutes). A tick
/// with nothing new ends at once; failed assertions are logged by the core and nothing is published.
/// </summary>
public sealed class ScheduledBuild(BuildAndPublish job)
{
    [Function("BuildAndPublish")]
    public async Task Run([TimerTrigger("%" + FinsamSettings.BuildSchedule + "%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct) =>
        await job.RunAsync(null, ct);
}
