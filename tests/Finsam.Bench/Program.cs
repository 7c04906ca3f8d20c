using System.Diagnostics;
using Finsam.Bench;

// Ingest benchmark: generated national-scale monthly files, measured end to end through the
// local folder backend, against DuckDB's own CSV → Parquet COPY of equivalent CSV in the same run.
// Usage: dotnet run --project tests/Finsam.Bench -c Release [-- transactions participants runs]
//        dotnet run --project tests/Finsam.Bench -c Release -- models [scales…]   (the model build at national scale)
//        dotnet run --project tests/Finsam.Bench -c Release -- models-tick DIR [scale] [--reuse]   (a first, full and warm build, then one federation's new month and the tick after it)
//        dotnet run --project tests/Finsam.Bench -c Release -- models-dump DIR OUT [QUERIES]   (the marts and the KPI table of DIR's data, sorted, to compare two versions of the SQL)
//        dotnet run --project tests/Finsam.Bench -c Release -- sql-time [--build DIR QUERIES] SQL…   (each query timed, in one session: after a build of DIR's data, or on its own)
//        dotnet run --project tests/Finsam.Bench -c Release -- models-publish DIR [scale] [--reuse]   (build, publish twice, then protection and audit alone)
//        dotnet run --project tests/Finsam.Bench -c Release -- models-release-month DIR [scale] [--reuse] [--complete-years]   (two member releases a month apart)
//        dotnet run --project tests/Finsam.Bench -c Release -- protect-against DIR KPI_PARQUET…   (protection and audit of DIR's data alone, against earlier releases' member files)
//        dotnet run --project tests/Finsam.Bench -c Release -- api-load STORAGE [clients] [seconds] [cache MB]   (finsam api under load, after models-publish; cache 0: every answer made anew)
//        dotnet run --project tests/Finsam.Bench -c Release -- ingest-profile [runs]   (each ingest step timed alone)
//        dotnet run --project tests/Finsam.Bench -c Release -- ingest-loop N [participants]   (for dotnet-trace)
//        dotnet run --project tests/Finsam.Bench -c Release -- sizing [workstation|server] [--size MB] [--concurrent N] [--kind participants|sie] [--scale S]
//        dotnet run --project tests/Finsam.Bench -c Release -- ingest-memory [workstation|server] [--heap-limit MB] [--size MB] [cases…]   (peak memory, a process per case)
// The SQL project beside the sources: bin/Release/net10.0/linux-x64 is six folders below the repository.
var queriesFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "queries"));
if (args.Length > 0 && args[0] == "models")
{
    var scales = args.Length > 1 ? args[1..].Select(int.Parse).ToArray() : [1, 2, 5, 10];
    ModelBenchmark.Run(Path.Combine(Path.GetTempPath(), "finsam-bench"), queriesFolder, scales);
    return;
}
if (args.Length > 0 && args[0] == "models-generate")
{
    Console.WriteLine(NationalData.Generate(args[1], int.Parse(args[2])));
    return;
}
if (args.Length > 0 && args[0] == "models-tick")
{
    ModelBenchmark.Tick(args[1], queriesFolder, ScaleOf(args), args.Contains("--reuse"));
    return;
}
if (args.Length > 0 && args[0] == "models-dump")
{
    ModelBenchmark.Dump(args[1], args.Length > 3 ? Path.GetFullPath(args[3]) : queriesFolder, args[2]);
    return;
}
if (args.Length > 0 && args[0] == "protect-against")
{
    ModelBenchmark.ProtectAgainst(args[1], queriesFolder, args[2..]);
    return;
}
if (args.Length > 0 && args[0] == "models-release-month")
{
    ModelBenchmark.ReleaseMonth(args[1], queriesFolder, ScaleOf(args), args.Contains("--reuse"),
        args.Contains("--complete-years") ? Finsam.Pipeline.Disclosure.ParticipantYears.CompleteYears : Finsam.Pipeline.Disclosure.ParticipantYears.YearToDate);
    return;
}
if (args.Length > 0 && args[0] == "models-publish")
{
    ModelBenchmark.Publish(args[1], queriesFolder, ScaleOf(args), args.Contains("--reuse"));
    return;
}
if (args.Length > 0 && args[0] == "ingest-profile")
{
    IngestProfile.Run(args.Length > 1 ? int.Parse(args[1]) : 15);
    return;
}
if (args.Length > 0 && args[0] == "ingest-loop")
{
    IngestProfile.Loop(int.Parse(args[1]), args.Length > 2 && args[2] == "participants");
    return;
}
if (args.Length > 0 && args[0] == "shortcut")
{
    ShortcutBenchmark.Run(queriesFolder, args.Length > 1 ? int.Parse(args[1]) : 51_000, args.Length > 2 ? int.Parse(args[2]) : 5);
    return;
}
if (args.Length > 0 && args[0] == "sizing")
{
    SizingBenchmark.Run(Path.Combine(Path.GetTempPath(), "finsam-bench"), queriesFolder, args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "sizing-one")
{
    SizingBenchmark.One(args[1], args[2], args[3], args[4], long.Parse(args[5]));
    return;
}
if (args.Length > 0 && args[0] == "ingest-memory")
{
    IngestMemory.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "ingest-memory-one")
{
    IngestMemory.One(args[1], long.Parse(args[2]));
    return;
}
if (args.Length > 0 && args[0] == "api-load")
{
    ApiLoadBenchmark.Run(Path.GetFullPath(args[1]), args.Length > 2 ? int.Parse(args[2]) : 50, args.Length > 3 ? int.Parse(args[3]) : 30,
        args.Length > 4 ? int.Parse(args[4]) : 64);
    return;
}
if (args.Length > 0 && args[0] == "sql-time")
{
    ModelBenchmark.SqlTime([.. args.Skip(1)]);
    return;
}
if (args.Length > 0 && args[0] == "models-one")
{
    ModelBenchmark.One(args[1], args[2], args.Length > 3 ? args[3] : null);
    return;
}

var transactions = args.Length > 0 ? int.Parse(args[0]) : 200_000;
var participants = args.Length > 1 ? int.Parse(args[1]) : 50_000;
var runs = args.Length > 2 ? int.Parse(args[2]) : 9;

var work = Path.Combine(Path.GetTempPath(), "finsam-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
try
{
    Console.WriteLine($"# Finsam ingest benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
                      (System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC"));
    Console.WriteLine($"{runs} runs of each, Finsam and DuckDB alternating, after one warm-up pair; medians, and the median ratio of the pairs.");
    Console.WriteLine();
    Console.WriteLine("| input | rows | file MB | Finsam ingest (s) | rows/s | DuckDB read_csv → COPY parquet (s) | ratio (lowest–highest) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");

    var sie = GeneratedInputs.SieLedger(transactions);
    using (var baseline = new DuckDbBaseline(work, GeneratedInputs.LedgerCsvFor(sie), GeneratedInputs.LedgerCsvColumns))
        Report("SIE 4 ledger", transactions, sie.Length, Timing.Paired(runs, IngestBenchmark.Trial(work, "bench/2025-01/ledger.se", sie), baseline.Trial()));

    var participantCsv = GeneratedInputs.ParticipantCsv(participants);
    using (var baseline = new DuckDbBaseline(work, participantCsv, GeneratedInputs.ParticipantCsvColumns))
        Report("participant CSV", participants, participantCsv.Length, Timing.Paired(runs, IngestBenchmark.Trial(work, "bench/2025-01/deltagare.csv", participantCsv), baseline.Trial()));
}
finally
{
    Directory.Delete(work, recursive: true);
}

// `DIR [scale] [--reuse]`: the scale, 1 unless given.
static int ScaleOf(string[] args) => args.Length > 2 && args[2] != "--reuse" ? int.Parse(args[2]) : 1;

static void Report(string input, int rows, int bytes, Timing.PairedResult result) =>
    Console.WriteLine($"| {input} | {rows:N0} | {bytes / 1e6:F1} | {result.A.TotalSeconds:F2} | {rows / result.A.TotalSeconds:N0} | {result.B.TotalSeconds:F2} | " +
                      $"{result.Ratio:F2}× ({result.RatioLow:F2}–{result.RatioHigh:F2}) |");

namespace Finsam.Bench
{
    public static class Timing
    {
        /// <summary>Median time of <paramref name="run"/>; <paramref name="setUp"/> and <paramref name="tearDown"/> are not timed.</summary>
        public static TimeSpan Median(int runs, Action run, Action? setUp = null, Action? tearDown = null)
        {
            var timed = new Timed(run, setUp, tearDown);
            var times = new List<TimeSpan>();
            for (var i = 0; i <= runs; i++)
            {
                var elapsed = timed.Once();
                if (i > 0) times.Add(elapsed); // the first run is a warm-up
            }
            return Middle(times);
        }

        private static TValue Middle<TValue>(List<TValue> values)
        {
            values.Sort();
            return values[values.Count / 2];
        }

        /// <param name="A">Median time of the first piece of work.</param>
        /// <param name="B">Median time of the second.</param>
        /// <param name="Ratio">Median of A / B over pairs of runs made one right after the other.</param>
        public sealed record PairedResult(TimeSpan A, TimeSpan B, double Ratio, double RatioLow, double RatioHigh);

        /// <summary>
        /// Runs <paramref name="a"/> and <paramref name="b"/> alternately, so both meet the machine in the
        /// same state (this VM's speed drifts by a third within minutes); one warm-up pair is not counted.
        /// </summary>
        public static PairedResult Paired(int runs, Timed a, Timed b)
        {
            var (timesA, timesB, ratios) = (new List<TimeSpan>(), new List<TimeSpan>(), new List<double>());
            for (var i = 0; i <= runs; i++)
            {
                var (ta, tb) = (a.Once(), b.Once());
                if (i == 0) continue;
                timesA.Add(ta);
                timesB.Add(tb);
                ratios.Add(ta / tb);
            }
            return new PairedResult(Middle(timesA), Middle(timesB), Middle(ratios), ratios[0], ratios[^1]);
        }
    }

    /// <summary>A piece of work to time; <paramref name="SetUp"/> and <paramref name="TearDown"/> around it are not timed.</summary>
    public sealed record Timed(Action Run, Action? SetUp = null, Action? TearDown = null)
    {
        public TimeSpan Once()
        {
            SetUp?.Invoke();
            var stopwatch = Stopwatch.StartNew();
            Run();
            var elapsed = stopwatch.Elapsed;
            TearDown?.Invoke();
            return elapsed;
        }
    }
}
