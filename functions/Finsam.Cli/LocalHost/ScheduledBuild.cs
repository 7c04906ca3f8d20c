using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The local twin of the Functions app's timer <c>BuildAndPublish</c>: <see cref="BuildAndPublish.RunAsync"/> (the
/// controller's curated dataset) at each occurrence of <see cref="PublishingSettings.BuildSchedule"/>.
/// </summary>
public sealed class ScheduledBuild(BuildAndPublish job, PipelineTurns turns, IOptions<FinsamOptions> options, TimeProvider clock, ILogger<ScheduledBuild> logger)
    : ScheduledJob(turns, clock, logger, "Build and publish", options.Value.Publishing.BuildSchedule, ct => job.RunAsync(null, ct));
