using Finsam.Pipeline.Contract;
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
    private static readonly Period Month = new(2025, 1);
    private static readonly string Sha = new('a', 64);
    private static readonly Pseudonymizer Pseudonymizer = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    public static void Run(int runs)
    {
        var sie = GeneratedInputs.SieLedger(200_000);
        var participants = GeneratedInputs.ParticipantCsv(50_000);

        Step("SIE: read lines (cp437, one part)", runs, () =>
        {
            using var reader = new StreamReader(new MemoryStream(sie), SieParser.Codepage437, false, 1 << 16);
            var n = 0;
            while (reader.ReadLine() is not null) n++;
        });
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var kept = SieParser.Parse(sie, Month, new ValidationReport());
        Console.WriteLine($"SIE: parsed ledger keeps {(GC.GetTotalMemory(true) - before) / 1e6:F1} MB, allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB so far");
        GC.KeepAlive(kept);
        Console.WriteLine($"SIE: one parse allocates {AllocatedMegabytes(() => SieParser.Parse(sie, Month, new ValidationReport())):F1} MB");
        Step("SIE: parse (parts in parallel)", runs, () => SieParser.Parse(sie, Month, new ValidationReport()));
        Step("SIE: validate (parse + ledger rules)", runs, () => FileValidator.Validate(sie, Month, null));
        Step("SIE: validate + rows + Parquet", runs, () => IngestSie(sie));
        var ledger = FileValidator.Validate(sie, Month, null).Ledger!;
        Step("SIE: curated rows", runs, () => CuratedRowMapper.LedgerRows(ledger, Sha));
        var rows = CuratedRowMapper.LedgerRows(ledger, Sha);
        Step("SIE: Parquet (Parquet.Net)", runs, () => CuratedTables.Ledger.ToBytesAsync(rows).GetAwaiter().GetResult());

        Console.WriteLine($"SIE: validate + rows + Parquet allocate {AllocatedMegabytes(() => IngestSie(sie)):F1} MB for a {sie.Length / 1e6:F1} MB file");
        Console.WriteLine($"Participants: validate + rows + Parquet allocate {AllocatedMegabytes(() => IngestParticipants(participants)):F1} MB for a {participants.Length / 1e6:F1} MB file");
        Step("Participants: validate", runs, () => FileValidator.Validate(participants, Month, null));
        var parsed = FileValidator.Validate(participants, Month, null).Participants!;
        Step("Participants: curated rows (HMAC pseudonyms)", runs, () => CuratedRowMapper.RegistrationRows(parsed, Pseudonymizer, Sha));
        var registrations = CuratedRowMapper.RegistrationRows(parsed, Pseudonymizer, Sha);
        Step("Participants: Parquet (Parquet.Net)", runs, () => CuratedTables.Registrations.ToBytesAsync(registrations).GetAwaiter().GetResult());
    }

    /// <summary>`ingest-loop N [participants]`: validate, map and write the SIE (or participant) file N times, for a profiler.</summary>
    public static void Loop(int times, bool participants)
    {
        var file = participants ? GeneratedInputs.ParticipantCsv(50_000) : GeneratedInputs.SieLedger(200_000);
        for (var i = 0; i < times; i++)
            if (participants) IngestParticipants(file);
            else IngestSie(file);
    }

    /// <summary>What ingestion does with a file between reading it and storing it: validate, map, write Parquet.</summary>
    private static byte[] IngestSie(byte[] sie) =>
        CuratedTables.Ledger.ToBytesAsync(CuratedRowMapper.LedgerRows(FileValidator.Validate(sie, Month, null).Ledger!, Sha)).GetAwaiter().GetResult();

    private static byte[] IngestParticipants(byte[] csv) =>
        CuratedTables.Registrations.ToBytesAsync(CuratedRowMapper.RegistrationRows(FileValidator.Validate(csv, Month, null).Participants!, Pseudonymizer, Sha)).GetAwaiter().GetResult();

    private static double AllocatedMegabytes(Action action)
    {
        var before = GC.GetTotalAllocatedBytes(true);
        action();
        return (GC.GetTotalAllocatedBytes(true) - before) / 1e6;
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
