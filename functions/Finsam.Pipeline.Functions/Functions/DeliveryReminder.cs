using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// Every morning (07:00 UTC), from the due day of the month (<c>Finsam__Publishing__DeliveryDueDay</c>, the 10th): one
/// warning for each federation that has delivered before but has no accepted file for last month. The alert
/// <c>federation-late</c> (infra/modules/alerts.bicep) mails the controller on it.
/// </summary>
public sealed class DeliveryReminder(DeliveryCheck check, IOptions<FinsamOptions> options, ILogger<DeliveryReminder> logger)
{
    [Function(nameof(DeliveryReminder))]
    public async Task Run([TimerTrigger("0 0 7 * * *", RunOnStartup = false)] TimerInfo timer, CancellationToken ct)
    {
        await check.RemindAsync(options.Value.Publishing.DeliveryDueDay, logger, ct);
    }
}
