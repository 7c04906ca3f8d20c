using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The local twin of the Functions app's timer <c>DeliveryReminder</c>: every morning at 07:00 UTC, from the due day of the
/// month (<see cref="PublishingSettings.DeliveryDueDay"/>), a warning for each federation without last month's accepted file
/// (<see cref="DeliveryCheck"/>).
/// </summary>
public sealed class DailyDeliveryCheck(DeliveryCheck check, PipelineTurns turns, IOptions<FinsamOptions> options, TimeProvider clock, ILogger<DailyDeliveryCheck> logger)
    : ScheduledJob(turns, clock, logger, "Delivery check", Schedule, ct => check.RemindAsync(options.Value.Publishing.DeliveryDueDay, logger, ct))
{
    /// <summary>The Functions app's schedule.</summary>
    public const string Schedule = "0 0 7 * * *";
}
