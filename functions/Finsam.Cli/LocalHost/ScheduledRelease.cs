using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The local twin of the Functions app's timer <c>ReleaseKpi</c>: <see cref="BuildAndPublish.ReleaseAsync"/> (a member
/// release of the kpi dataset) at each occurrence of <see cref="PublishingSettings.ReleaseSchedule"/>.
/// </summary>
public sealed class ScheduledRelease(BuildAndPublish job, PipelineTurns turns, IOptions<FinsamOptions> options, TimeProvider clock, ILogger<ScheduledRelease> logger)
    : ScheduledJob(turns, clock, logger, "Member release", options.Value.Publishing.ReleaseSchedule, ct => job.ReleaseAsync(null, ct));
