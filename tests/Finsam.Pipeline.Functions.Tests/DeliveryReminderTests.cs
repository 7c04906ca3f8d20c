using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>
/// The daily delivery check, on Azurite: Aspdalen delivers January 2025 and nothing after; the other sample federations
/// never deliver (still being onboarded, so never reminded).
/// </summary>
[Collection(AzuriteCollection.Name)]
public class DeliveryReminderTests(AzuriteFixture azurite)
{
    private const string Ledger = "aspdalen/2025-01/aspdalen_huvudbok_202501.se";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private async Task<List<string>> WarningsOnAsync(string day)
    {
        using var app = new FunctionsApp(azurite, clock: new FixedClock(DateTimeOffset.Parse(day + "T07:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        await Samples.SeedReferenceAsync(app.Store);
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        await app.Function<IngestLanding>().Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None);

        await app.Function<DeliveryReminder>().Run(new TimerInfo(), CancellationToken.None);

        return app.Logs.Lines.Where(l => l.Contains(DeliveryCheck.LateMessage, StringComparison.Ordinal))
            .Select(l => l[l.IndexOf("Federation ", StringComparison.Ordinal)..]).ToList();
    }

    [Fact]
    public async Task Three_months_on_it_is_still_named()
    {
        Assert.Equal(
            ["Federation aspdalen has no accepted file for 2025-04 by day 10 of the next month; its latest month is 2025-01"],
            (await WarningsOnAsync("2025-05-10")).Select(l => l[..l.IndexOf(" [", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task From_the_tenth_a_federation_without_last_months_file_is_named_once()
    {
        Assert.Equal(
            ["Federation aspdalen has no accepted file for 2025-02 by day 10 of the next month; its latest month is 2025-01"],
            (await WarningsOnAsync("2025-03-10")).Select(l => l[..l.IndexOf(" [", StringComparison.Ordinal)]));
    }

    [Theory]
    [InlineData("2025-03-09")] // before the due day
    [InlineData("2025-02-20")] // January delivered
    [InlineData("2025-06-10")] // nothing since January: four months back, it has stopped delivering
    public async Task Before_the_due_day_with_the_month_delivered_or_long_stopped_nothing_is_said(string day)
    {
        Assert.Empty(await WarningsOnAsync(day));
    }
}
