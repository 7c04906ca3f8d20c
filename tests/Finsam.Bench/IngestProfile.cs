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
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var kept = SieParser.Parse(sie, period, new ValidationReport());
        Console.WriteLine($"SIE: parsed ledger keeps {(GC.GetTotalMemory(true) - before) / 1e6:F1} MB, allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB so far");
        GC.KeepAlive(kept);
        var allocated = GC.GetTotalAllocatedBytes(true);
        SieParser.Parse(sie, period, new ValidationReport());
        Console.WriteLine($"SIE: one parse allocates {(GC.GetTotalAllocatedBytes(true) - allocated) / 1e6:F1} MB");
        Step("SIE: parse (parts in parallel)", runs, () => SieParser.Parse(sie, period, new ValidationReport()));
        Step("SIE: validate (parse + ledger rules)", runs, () => FileValidator.Validate(sie, period, null));
        Step("SIE: validate + rows + Parquet", runs, () =>
            CuratedTables.Ledger.ToBytesAsync(CuratedRowMapper.LedgerRows(FileValidator.Validate(sie, period, null).Ledger!, sha)).GetAwaiter().GetResult());
        var ledger = FileValidator.Validate(sie, period, null).Ledger!;
        Step("SIE: curated rows", runs, () => CuratedRowMapper.LedgerRows(ledger, sha));
        var rows = CuratedRowMapper.LedgerRows(ledger, sha);
        Step("SIE: Parquet (Parquet.Net)", runs, () => CuratedTables.Ledger.ToBytesAsync(rows).GetAwaiter().GetResult());

        var beforeSie = GC.GetTotalAllocatedBytes(true);
        CuratedTables.Ledger.ToBytesAsync(CuratedRowMapper.LedgerRows(FileValidator.Validate(sie, period, null).Ledger!, sha)).GetAwaiter().GetResult();
        Console.WriteLine($"SIE: validate + rows + Parquet allocate {(GC.GetTotalAllocatedBytes(true) - beforeSie) / 1e6:F1} MB for a {sie.Length / 1e6:F1} MB file");
        var beforeParticipants = GC.GetTotalAllocatedBytes(true);
        CuratedTables.Registrations.ToBytesAsync(CuratedRowMapper.RegistrationRows(FileValidator.Validate(participants, period, null).Participants!, pseudonymizer, sha)).GetAwaiter().GetResult();
        Console.WriteLine($"Participants: validate + rows + Parquet allocate {(GC.GetTotalAllocatedBytes(true) - beforeParticipants) / 1e6:F1} MB for a {participants.Length / 1e6:F1} MB file");
        Step("Participants: validate", runs, () => FileValidator.Validate(participants, period, null));
        var parsed = FileValidator.Validate(participants, period, null).Participants!;
        Step("Participants: curated rows (HMAC pseudonyms)", runs, () => CuratedRowMapper.RegistrationRows(parsed, pseudonymizer, sha));
        var registrations = CuratedRowMapper.RegistrationRows(parsed, pseudonymizer, sha);
        Step("Participants: Parquet (Parquet.Net)", runs, () => CuratedTables.Registrations.ToBytesAsync(registrations).GetAwaiter().GetResult());
    }

    /// <summary>`ingest-loop N [participants]`: validate, map and write the SIE (or participant) file N times, for a profiler.</summary>
    public static void Loop(int times, bool participants)
    {
        var period = new Period(2025, 1);
        var sha = new string('a', 64);
        if (participants)
        {
            var csv = GeneratedInputs.ParticipantCsv(50_000);
            var pseudonymizer = new Pseudonymizer(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
            for (var i = 0; i < times; i++)
                CuratedTables.Registrations.ToBytesAsync(CuratedRowMapper.RegistrationRows(FileValidator.Validate(csv, period, null).Participants!, pseudonymizer, sha)).GetAwaiter().GetResult();
            return;
        }
        var sie = GeneratedInputs.SieLedger(200_000);
        for (var i = 0; i < times; i++)
            CuratedTables.Ledger.ToBytesAsync(CuratedRowMapper.LedgerRows(FileValidator.Validate(sie, period, null).Ledger!, sha)).GetAwaiter().GetResult();
    }

    private static void Step(string name, int runs, Action action)
    {
        var gcBefore = GC.GetTotalPauseDuration();
        var counts = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var median = Timing.Median(runs, action);
        var perRun = Enumerable.Range(0, 3).Select(g => (GC.CollectionCount(g) - counts[g]) / (double)(runs + 1)).ToArray();
        Console.WriteLine($"{name,-48} {median.TotalMilliseconds,7:F1} ms   GC per run: {(GC.GetTotalPauseDuration() - gcBefore).TotalMilliseconds / (runs + 1),5:F0} ms paused, collections gen0/1/2 {perRun[0]:F1}/{perRun[1]:F1}/{perRun[2]:F1}");
    }
}
