using System.Diagnostics;
using Finsam.Bench;

// Ingest benchmark: generated national-scale monthly files, measured end to end through the
// local folder backend, against DuckDB's own CSV → Parquet COPY of equivalent CSV in the same run.
// Usage: dotnet run --project tests/Finsam.Bench -c Release [-- transactions participants runs]
//        dotnet run --project tests/Finsam.Bench -c Release -- models [scales…]   (the model build at national scale)
//        dotnet run --project tests/Finsam.Bench -c Release -- models-publish DIR [scale]   (build, then publish twice)
//        dotnet run --project tests/Finsam.Bench -c Release -- ingest-profile [runs]   (each ingest step timed alone)
//        dotnet run --project tests/Finsam.Bench -c Release -- ingest-loop N [participants]   (for dotnet-trace)
if (args.Length > 0 && args[0] == "models")
{
    var queries = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "queries"));
    var scales = args.Length > 1 ? args[1..].Select(int.Parse).ToArray() : [1, 2, 5, 10];
    ModelBenchmark.Run(Path.Combine(Path.GetTempPath(), "finsam-bench"), queries, scales);
    return;
}
if (args.Length > 0 && args[0] == "models-generate")
{
    Console.WriteLine(NationalData.Generate(args[1], int.Parse(args[2])));
    return;
}
if (args.Length > 0 && args[0] == "models-publish")
{
    var queries = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "queries"));
    ModelBenchmark.Publish(args[1], queries, args.Length > 2 ? int.Parse(args[2]) : 1);
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
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    Console.WriteLine($"Median of {runs} runs after one warm-up run.");
    Console.WriteLine();
    Console.WriteLine("| input | rows | file MB | Finsam ingest (s) | rows/s | DuckDB read_csv → COPY parquet (s) | ratio |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");

    var sie = GeneratedInputs.SieLedger(transactions);
    var ledgerCsv = GeneratedInputs.LedgerCsvFor(sie);
    Report("SIE 4 ledger", transactions, sie.Length,
        IngestBenchmark.Measure(work, "bench/2025-01/ledger.se", sie, runs),
        DuckDbBaseline.Measure(work, ledgerCsv, GeneratedInputs.LedgerCsvColumns, runs));

    var participantCsv = GeneratedInputs.ParticipantCsv(participants);
    Report("participant CSV", participants, participantCsv.Length,
        IngestBenchmark.Measure(work, "bench/2025-01/deltagare.csv", participantCsv, runs),
        DuckDbBaseline.Measure(work, participantCsv, GeneratedInputs.ParticipantCsvColumns, runs));
}
finally
{
    Directory.Delete(work, recursive: true);
}

static void Report(string input, int rows, int bytes, TimeSpan ours, TimeSpan duckdb) =>
    Console.WriteLine($"| {input} | {rows:N0} | {bytes / 1e6:F1} | {ours.TotalSeconds:F2} | {rows / ours.TotalSeconds:N0} | {duckdb.TotalSeconds:F2} | {ours / duckdb:F2}× |");

namespace Finsam.Bench
{
    public static class Timing
    {
        /// <summary>Median time of <paramref name="run"/>; <paramref name="setUp"/> and <paramref name="tearDown"/> are not timed.</summary>
        public static TimeSpan Median(int runs, Action run, Action? setUp = null, Action? tearDown = null)
        {
            var times = new List<TimeSpan>();
            for (var i = 0; i <= runs; i++)
            {
                setUp?.Invoke();
                var sw = Stopwatch.StartNew();
                run();
                if (i > 0) times.Add(sw.Elapsed); // the first run is a warm-up
                tearDown?.Invoke();
            }
            times.Sort();
            return times[times.Count / 2];
        }
    }
}
