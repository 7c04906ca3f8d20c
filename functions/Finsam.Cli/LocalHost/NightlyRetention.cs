using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The local twin of the Functions app's timer <c>RetainOriginals</c>: every night at 03:00 UTC, the originals that may hold
/// identity numbers are kept through <see cref="PrivacySettings.OriginalsYears"/> years after their month's year
/// (<see cref="OriginalsRetention"/>).
/// </summary>
public sealed class NightlyRetention(OriginalsRetention retention, PipelineTurns turns, IOptions<FinsamOptions> options, TimeProvider clock, ILogger<NightlyRetention> logger)
    : ScheduledJob(turns, clock, logger, "Retention of originals", Schedule, ct => retention.ApplyAndLogAsync(options.Value.Privacy.OriginalsYears, logger, ct))
{
    /// <summary>The Functions app's schedule.</summary>
    public const string Schedule = "0 0 3 * * *";
}
