using System.Diagnostics;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Sie;

namespace Finsam.Bench;

/// <summary>
/// `ingest-profile [runs]`: the steps of ingesting the generated SIE and participant files, each
/// timed alone (median of the runs), to show where the ingest time goes.
/// </summary>
public static class IngestProfile
{
    public static void Run(int runs)
    {
        var period = new Period(2025, 1);
        var sie = GeneratedInputs.SieLedger(200_000);
        var participants = GeneratedInputs.ParticipantCsv(50_000);
        var pseudonymizer = new Pseudonymizer(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var sha = new string('a', 64);

        Step("SIE: read lines (cp437, one part)", runs, () =>
        {
            using var reader = new StreamReader(new MemoryStream(sie), SieParser.Codepage437, false, 1 << 16);
            var n = 0;
            while (reader.ReadLine() is not null) n++;
        });
        Step("SIE: parse (parts in parallel)", runs, () => SieParser.Parse(sie, period, new ValidationReport()));
        Step("SIE: validate (parse + ledger rules)", runs, () => FileValidator.Validate(sie, period, null));
        var ledger = FileValidator.Validate(sie, period, null).Ledger!;
        Step("SIE: curated rows", runs, () => CuratedRowMapper.LedgerRows(ledger, sha));
        var rows = CuratedRowMapper.LedgerRows(ledger, sha);
        Step("SIE: Parquet (Parquet.Net)", runs, () => CuratedTables.Ledger.ToBytesAsync(rows).GetAwaiter().GetResult());

        Step("Participants: validate", runs, () => FileValidator.Validate(participants, period, null));
        var parsed = FileValidator.Validate(participants, period, null).Participants!;
        Step("Participants: curated rows (HMAC pseudonyms)", runs, () => CuratedRowMapper.RegistrationRows(parsed, pseudonymizer, sha));
        var registrations = CuratedRowMapper.RegistrationRows(parsed, pseudonymizer, sha);
        Step("Participants: Parquet (Parquet.Net)", runs, () => CuratedTables.Registrations.ToBytesAsync(registrations).GetAwaiter().GetResult());
    }

    private static void Step(string name, int runs, Action action)
    {
        var gcBefore = GC.GetTotalPauseDuration();
        var median = Timing.Median(runs, action);
        Console.WriteLine($"{name,-48} {median.TotalMilliseconds,7:F1} ms   (GC pauses over all runs {(GC.GetTotalPauseDuration() - gcBefore).TotalMilliseconds:F0} ms)");
    }
}
