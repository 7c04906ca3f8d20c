using Finsam.Pipeline.Reference;
using Finsam.Pipeline.Storage;

using Microsoft.Extensions.Logging;

namespace Finsam.Pipeline.Ingestion;

/// <summary>A federation with no accepted file for a month it was due to deliver.</summary>
public sealed record LateDelivery(string FederationId, string Month, string? LastMonth);

/// <summary>
/// Which federations have not delivered the month before by the due day of this month: from that day on, each federation of
/// reference/federations.csv that has delivered before (an accepted file for an earlier month) but has no accepted file
/// for last month. A federation that has never delivered is still being onboarded, and one whose latest month is more than
/// <see cref="RemindedMonths"/> months back has stopped delivering (taken out of the deployment, or merged): both are left
/// out, so that a federation kept in federations.csv for its published history is not reminded for ever.
/// </summary>
public sealed class DeliveryCheck(IBlobStore store, TimeProvider clock)
{
    /// <summary>The words the alert rule federation-late looks for (infra/modules/alerts.bicep): change both together.</summary>
    public const string LateMessage = "has no accepted file for";

    /// <summary>The warning each host logs for a <see cref="LateDelivery"/>: federation, month, due day, latest month.</summary>
    private const string LateTemplate = "Federation {Federation} " + LateMessage + " {Month} by day {DueDay} of the next month; its latest month is {LastMonth}";

    /// <summary>How many months a federation is reminded of: its latest month at most this far before the month due.</summary>
    public const int RemindedMonths = 3;

    /// <summary>One warning for each late federation, as every host logs it (<see cref="LateTemplate"/>).</summary>
    public async Task<IReadOnlyList<LateDelivery>> RemindAsync(int dueDay, ILogger logger, CancellationToken ct = default)
    {
        var late = await LateAsync(dueDay, ct);
        foreach (var delivery in late)
            logger.LogWarning(LateTemplate, delivery.FederationId, delivery.Month, dueDay, delivery.LastMonth);
        return late;
    }

    public async Task<IReadOnlyList<LateDelivery>> LateAsync(int dueDay, CancellationToken ct = default)
    {
        var today = clock.GetUtcNow();
        if (today.Day < dueDay) return [];
        var due = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var month = due.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var oldest = due.AddMonths(-RemindedMonths).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var federations = await FederationRegistry.LoadAsync(store, ct);
        var accepted = await new IngestionLog(store).AcceptedMonthsAsync(ct);
        return federations.All
            .Select(f => (f.Id, Months: accepted[f.Id].ToList()))
            .Where(f => f.Months.Any(m => string.CompareOrdinal(m, month) < 0 && string.CompareOrdinal(m, oldest) >= 0) && !f.Months.Contains(month))
            .Select(f => new LateDelivery(f.Id, month, f.Months.Max(StringComparer.Ordinal)))
            .OrderBy(l => l.FederationId, StringComparer.Ordinal)
            .ToList();
    }
}
