using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>
/// Retention of the originals that may hold identity numbers, on Azurite: the samples of January 2025 (a ledger, a
/// participant export) and a rejected participant file, with the nightly timer run in 2026 and in 2027.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class RetainOriginalsTests(AzuriteFixture azurite)
{
    private const string Ledger = "aspdalen/2025-01/aspdalen_huvudbok_202501.se";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static async Task<List<string>> NamesAsync(IBlobStore store, string container) =>
        await store.ListAsync(container).Select(b => b.Name).ToListAsync();

    private async Task<FunctionsApp> AppAfterJanuary2025Async(string nightOf, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new FunctionsApp(azurite, settings, clock: new FixedClock(DateTimeOffset.Parse(nightOf + "T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        await Samples.SeedReferenceAsync(app.Store);
        var participants = Samples.LandingFiles().Select(f => f.Name).Single(n => n.StartsWith("aspdalen/2025-01/", StringComparison.Ordinal) && n.Contains("deltagare", StringComparison.Ordinal));
        const string broken = "aspdalen/2025-01/deltagare_trasig.csv";
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        await app.Store.WriteAsync(Containers.Landing, participants, Samples.File(participants), WriteCondition.Overwrite);
        await app.Store.WriteAsync(Containers.Landing, broken, Samples.File(participants).Concat("\nnot;a;row\n"u8.ToArray()).ToArray(), WriteCondition.Overwrite);
        foreach (var name in new[] { Ledger, participants, broken })
            await app.Function<IngestLanding>().Run(app.LandingBlob(name), name, CancellationToken.None);
        return app;
    }

    [Fact]
    public async Task In_2027_the_participant_originals_and_the_rejected_file_of_2025_are_deleted_and_the_ledger_and_reports_stay()
    {
        using var app = await AppAfterJanuary2025Async("2027-01-02");
        var raw = await NamesAsync(app.Store, Containers.Raw);
        var quarantine = await NamesAsync(app.Store, Containers.Quarantine);
        Assert.Equal(3, raw.Count);
        Assert.Equal(3, quarantine.Count); // the rejected file and its two reports

        await app.Function<RetainOriginals>().Run(new TimerInfo(), CancellationToken.None);

        Assert.Equal([Sha256Of(Samples.File(Ledger))], await NamesAsync(app.Store, Containers.Raw));
        Assert.Equal(quarantine.Where(n => n.EndsWith(".report.json", StringComparison.Ordinal) || n.EndsWith(".report.txt", StringComparison.Ordinal)).Order(),
            (await NamesAsync(app.Store, Containers.Quarantine)).Order());
        Assert.Contains(app.Logs.Lines, l => l.Contains(
            "Retention of originals: 2 original(s) deleted from raw/ and 1 rejected file(s) from quarantine/, kept through 1 year(s) after their month's year",
            StringComparison.Ordinal));
        // The curated data, built from them, stays.
        Assert.Contains(await NamesAsync(app.Store, Containers.Curated), n => n.StartsWith("registrations/federation=aspdalen/period=2025-01/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-12-31", null)] // the year after the month's year: kept
    [InlineData("2027-01-02", "100")] // kept for a century: the controller's choice
    public async Task Through_the_year_after_or_as_long_as_the_controller_chose_everything_is_kept(string nightOf, string? years)
    {
        using var app = await AppAfterJanuary2025Async(nightOf,
            years is null ? null : new Dictionary<string, string?> { ["Finsam:Privacy:OriginalsYears"] = years });

        await app.Function<RetainOriginals>().Run(new TimerInfo(), CancellationToken.None);

        Assert.Equal(3, (await NamesAsync(app.Store, Containers.Raw)).Count);
        Assert.Equal(3, (await NamesAsync(app.Store, Containers.Quarantine)).Count);
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
