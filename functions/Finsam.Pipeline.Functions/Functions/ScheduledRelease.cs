using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Publishing;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// A member release of the kpi dataset on the calendar RELEASE_SCHEDULE (default 06:00 UTC on the 15th of every month),
/// not on every change: the controller's curated dataset follows every change (BuildAndPublish), the members' files only
/// this calendar. A release with nothing new since the latest ends at once.
/// </summary>
public sealed class ScheduledRelease(BuildAndPublish job)
{
    [Function("ReleaseKpi")]
    public async Task Run([TimerTrigger("%" + FinsamSettings.ReleaseSchedule + "%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct) =>
        await job.ReleaseAsync(null, ct);
}
