using System.Diagnostics;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;

namespace Finsam.Bench;

/// <summary>
/// `models [scales…]`: for each scale, generates national data and times `finsam build` in a fresh
/// process (so that its peak memory is its own): the first build (every federation compacted), a
/// build on a new host (empty local cache, compacted files in storage) and a warm build (nothing changed).
/// </summary>
public static class ModelBenchmark
{
    public static void Run(string work, string queries, int[] scales)
    {
        Console.WriteLine($"# Finsam model build benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB; DuckDB memory_limit {new ModelOptions("", "").MemoryLimit}, threads {Environment.ProcessorCount}.");
        Console.WriteLine();
        Console.WriteLine("| scale | ledger rows | registrations | export rows | first build (s / MB) | new host (s / MB) | warm (s / MB) | KPI rows |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scale in scales)
        {
            var root = Path.Combine(work, $"national-{scale}");
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            var (ledger, registrations, exports) = NationalData.Generate(Path.Combine(root, "storage"), scale);
            var first = Child(root, queries);
            Directory.Delete(new ModelOptions(queries, Path.Combine(root, "work")).CacheFolder, recursive: true);
            var newHost = Child(root, queries);
            var warm = Child(root, queries);
            Console.WriteLine($"| {scale}× | {ledger:N0} | {registrations:N0} | {exports:N0} | {first.Seconds:F1} / {first.PeakMb:N0} | " +
                              $"{newHost.Seconds:F1} / {newHost.PeakMb:N0} | {warm.Seconds:F1} / {warm.PeakMb:N0} | {warm.KpiRows:N0} |");
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// `models-tick DIR [scale]`: generates national data (or reuses DIR's), builds it as a first build would, builds it again in
    /// full (every federation computed, the cache warm) and warm (nothing changed); then one federation drops its next month
    /// (a SIE ledger and a participant export, ingested as the host would) and the next tick builds again. Each build in a fresh
    /// process; the last line is "full S1 tick S2 peak MB" (peak: the tick's process).
    /// </summary>
    public static void Tick(string root, string queries, int scale, bool reuse)
    {
        var storage = Path.Combine(root, "storage");
        var generated = Stopwatch.StartNew();
        var (ledger, registrations, reused) = GenerateOrReuse(root, scale, reuse);
        if (!reused)
            Console.WriteLine($"generated {ledger:N0} ledger rows, {registrations:N0} registrations in {generated.Elapsed.TotalSeconds:F0} s");
        else
        {
            // The tick's drop of an earlier run goes, with its log and receipts (the generated data has neither), so that runs
            // compare the same data and the drop is ingested again.
            foreach (var dataset in Finsam.Pipeline.Models.CuratedCache.Datasets.Append(Finsam.Pipeline.Curated.CuratedLayout.IngestionLog))
            {
                var dropped = Path.Combine(storage, Containers.Curated, dataset, "federation=f07", "period=2026-01");
                if (Directory.Exists(dropped)) Directory.Delete(dropped, recursive: true);
            }
            var receipts = Path.Combine(storage, Containers.Curated, Finsam.Pipeline.Curated.CuratedLayout.IngestionReceipts);
            if (Directory.Exists(receipts)) Directory.Delete(receipts, recursive: true);
        }
        var options = new ModelOptions(queries, Path.Combine(root, "work"));
        if (Directory.Exists(options.WorkFolder)) Directory.Delete(options.WorkFolder, recursive: true);
        var compacted = Path.Combine(storage, Containers.Curated, Finsam.Pipeline.Models.CuratedCache.StoredPrefix);
        if (Directory.Exists(compacted)) Directory.Delete(compacted, recursive: true);
        var first = Child(root, queries);
        Console.WriteLine($"first build (every federation compacted and computed): {first.Seconds:F2} s, peak {first.PeakMb:N0} MB");
        Directory.Delete(Path.GetDirectoryName(options.ByFederationDatabase)!, recursive: true);
        var full = Child(root, queries);
        Console.WriteLine($"full build (cache warm, every federation computed): {full.Seconds:F2} s, peak {full.PeakMb:N0} MB");
        var warm = Child(root, queries);
        Console.WriteLine($"warm build (nothing changed): {warm.Seconds:F2} s, peak {warm.PeakMb:N0} MB");

        var store = new LocalFolderBlobStore(storage);
        var participants = 350 * scale; // about as many as a federation of the generated data has active in a month
        store.WriteAsync(Containers.Landing, "f07/2026-01/huvudbok.se", GeneratedInputs.SieLedger(208 * scale, 2026), WriteCondition.Overwrite).GetAwaiter().GetResult();
        // Registrations new to f07 (N0, N1 …; some started in 2025 and are reported late): the history's ids are R0, R1 …, and an export that
        // listed those with other start dates would correct registrations of every year, which a month's export does not.
        store.WriteAsync(Containers.Landing, "f07/2026-01/deltagare.csv", GeneratedInputs.ParticipantCsv(participants, 2026, idPrefix: "N"), WriteCondition.Overwrite).GetAwaiter().GetResult();
        var ingest = Stopwatch.StartNew();
        var summary = new Finsam.Pipeline.Ingestion.IngestionService(store, new Finsam.Pipeline.Privacy.Pseudonymizer(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()))
            .IngestAllAsync().GetAwaiter().GetResult();
        if (summary.Accepted != 2) throw new InvalidOperationException("The tick's drop was not accepted: " + string.Join("; ", summary.Files.Select(f => f.Message)));
        Console.WriteLine($"f07 drops 2026-01 (a ledger of {208 * scale} transactions, an export of {participants} registrations): ingested in {ingest.Elapsed.TotalSeconds:F2} s");
        var tick = Child(root, queries);
        Console.WriteLine($"tick (f07 changed): {tick.Seconds:F2} s, peak {tick.PeakMb:N0} MB");
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"full {full.Seconds:F2} tick {tick.Seconds:F2} peak {tick.PeakMb}"));
    }

    /// <summary>
    /// National data in DIR/storage: generated anew, or with <paramref name="reuse"/> the data an earlier run generated there
    /// (its counts in a marker file), so that runs compare the same data; the caller removes what its earlier run added.
    /// </summary>
    private static (long Ledger, long Registrations, bool Reused) GenerateOrReuse(string root, int scale, bool reuse)
    {
        var marker = Path.Combine(root, $"generated-{scale}.txt");
        if (reuse && File.Exists(marker))
        {
            var counts = File.ReadAllText(marker).Split(' ');
            return (long.Parse(counts[0]), long.Parse(counts[1]), true);
        }
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var (ledger, registrations, _) = NationalData.Generate(Path.Combine(root, "storage"), scale);
        File.WriteAllText(marker, $"{ledger} {registrations}");
        return (ledger, registrations, false);
    }

    private static (double Seconds, long PeakMb, long KpiRows) Child(string root, string queries)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet Finsam.Bench.dll` the host needs the assembly; the apphost does not.
        if (Path.GetFileName(Environment.ProcessPath!).StartsWith("dotnet")) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Finsam.Bench.dll"));
        foreach (var arg in new[] { "models-one", root, queries }) start.ArgumentList.Add(arg);
        // DuckDB's memory limit for each build: FINSAM_BENCH_MEMORY_LIMIT, or the default (512MB).
        if (Environment.GetEnvironmentVariable("FINSAM_BENCH_MEMORY_LIMIT") is { Length: > 0 } limit) start.ArgumentList.Add(limit);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("The build failed: " + output);
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1]), long.Parse(parts[2]));
    }

    /// <summary>In the child process: one build, then "seconds peak-MB kpi-rows".</summary>
    public static void One(string root, string queries, string? memoryLimit = null)
    {
        var store = new LocalFolderBlobStore(Path.Combine(root, "storage"));
        var options = new ModelOptions(queries, Path.Combine(root, "work"));
        if (memoryLimit is not null) options = options with { MemoryLimit = memoryLimit };
        var sw = Stopwatch.StartNew();
        // Each step's time on stderr, so that stdout stays the one result line the parent reads.
        var progress = new Finsam.Pipeline.Contract.SynchronousProgress<string>(step => Console.Error.WriteLine($"{sw.Elapsed.TotalSeconds,6:F2} s {step}"));
        using var build = ModelBuild.RunAsync(store, options, progress).GetAwaiter().GetResult();
        var seconds = sw.Elapsed.TotalSeconds;
        if (build.AssertionFailures.Count > 0) throw new InvalidOperationException("Assertion failed: " + build.AssertionFailures[0].Name);
        var kpiRows = Convert.ToInt64(build.Session.Query("select count(*) from kpi").Rows[0][0]);
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds:F2} {self.PeakWorkingSet64 / (1 << 20)} {kpiRows}"));
    }

    /// <summary>
    /// `sql-time [--build DIR QUERIES] SQL…`: each query timed in one DuckDB session, after a build of DIR's data with the SQL project
    /// QUERIES (its models and views to query), or in a session of its own; prints the seconds, the rows and the first row.
    /// The build's DuckDB memory limit is FINSAM_BENCH_MEMORY_LIMIT (default 512MB); a query may set another.
    /// </summary>
    public static void SqlTime(string[] args)
    {
        var build = args.Length > 2 && args[0] == "--build"
            ? ModelBuild.RunAsync(new LocalFolderBlobStore(Path.Combine(args[1], "storage")), new ModelOptions(args[2], Path.Combine(args[1], "work"))
                { MemoryLimit = Environment.GetEnvironmentVariable("FINSAM_BENCH_MEMORY_LIMIT") ?? "512MB" }).GetAwaiter().GetResult()
            : null;
        using var own = build is null ? new DuckDbSession(new ModelOptions(Path.GetTempPath(), Path.Combine(Path.GetTempPath(), "finsam-sql-time"))) : null;
        var session = build?.Session ?? own!;
        foreach (var sql in args.Skip(build is null ? 0 : 3))
        {
            var sw = Stopwatch.StartNew();
            var rows = session.Query(sql);
            var first = rows.Rows.Count > 0 ? string.Join(" | ", rows.Rows[0]) : "";
            Console.WriteLine($"{sw.Elapsed.TotalSeconds:F3} s  {rows.Rows.Count} row(s)  {first}  <- {sql[..Math.Min(90, sql.Length)]}");
        }
        build?.Dispose();
    }

    /// <summary>`models-dump DIR OUT`: one build of DIR's data, then every mart, the findings and the KPI table sorted into OUT/{model}.parquet,
    /// to compare two versions of the SQL byte for byte.</summary>
    public static void Dump(string root, string queries, string output)
    {
        Directory.CreateDirectory(output);
        using var build = ModelBuild.RunAsync(new LocalFolderBlobStore(Path.Combine(root, "storage")), new ModelOptions(queries, Path.Combine(root, "work"))).GetAwaiter().GetResult();
        var models = build.Project.Models.Where(m => m.Layer is "marts" or "findings" or "kpi").ToList();
        foreach (var model in models)
            build.Session.Execute($"copy (select * from {model.Name} order by all) to '{Path.Combine(output, model.Name + ".parquet")}' (format parquet)");
        Console.WriteLine($"{models.Count} models written to {output}");
    }

    /// <summary>`models-publish DIR SCALE`: generates national data, builds once, then times the first publish (v1) and a publish of the same build (unchanged).</summary>
    public static void Publish(string root, string queries, int scale, bool reuse = false)
    {
        var (ledger, registrations, reused) = GenerateOrReuse(root, scale, reuse);
        // Reused data loses the published versions of the earlier run, so that runs compare the same data.
        var published = Path.Combine(root, "storage", Containers.Published);
        if (reused && Directory.Exists(published)) Directory.Delete(published, recursive: true);
        var steps = Stopwatch.StartNew();
        var progress = new Progress<string>(step => Console.Error.WriteLine($"{steps.Elapsed.TotalSeconds,6:F1} s {step}"));
        var store = new LocalFolderBlobStore(Path.Combine(root, "storage"));
        var options = new ModelOptions(queries, Path.Combine(root, "work"));
        var sw = Stopwatch.StartNew();
        using var build = ModelBuild.RunAsync(store, options).GetAwaiter().GetResult();
        var buildSeconds = sw.Elapsed.TotalSeconds;
        var publisher = new Finsam.Pipeline.Publishing.Publisher(store);
        sw.Restart();
        steps.Restart();
        var first = publisher.PublishAsync(build, options, progress: progress).GetAwaiter().GetResult();
        var firstSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var second = publisher.PublishAsync(build, options).GetAwaiter().GetResult();
        var secondSeconds = sw.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"| {scale}× | {ledger:N0} | {registrations:N0} | {buildSeconds:F1} | {firstSeconds:F1} ({string.Join(", ", first.Datasets.Select(d => d.Describe().Split(" (")[0]))}) | " +
                          $"{secondSeconds:F1} ({string.Join(", ", second.Datasets.Select(d => d.Describe()))}) | {self.PeakWorkingSet64 / (1 << 20):N0} |");
        foreach (var d in first.Datasets)
            Console.WriteLine($"  {d.Dataset} v{d.Version}: " + string.Join(", ", d.Manifest.Outputs.Select(o => $"{o.Name} {o.Bytes / 1e6:F1} MB")));
        var audit = first.Datasets.Single(d => d.Dataset == Finsam.Pipeline.Versions.PublishedLayout.KpiDataset).Manifest.DisclosureAudit;
        Console.WriteLine($"  disclosure audit in the manifest: passed {audit?.Passed}, suppressed cells {audit?.SuppressedCells}, smallest interval {audit?.SmallestIntervalWidth}");

        // The protection and its audit alone, again on the same build: without and with the first release as an earlier one.
        var kpiParquet = Path.Combine(root, "v1-kpi.parquet");
        File.WriteAllBytes(kpiParquet, new Finsam.Pipeline.Versions.DatasetVersions(store)
            .ReadFileAsync(first.Datasets.Single(d => d.Dataset == Finsam.Pipeline.Versions.PublishedLayout.KpiDataset).Manifest, Finsam.Pipeline.Versions.PublishedLayout.KpiFile).GetAwaiter().GetResult());
        foreach (var earlier in new[] { Array.Empty<string>(), [kpiParquet] })
        {
            using var sampler = new PeakSampler();
            sw.Restart();
            var result = Finsam.Pipeline.Disclosure.PublishedTables.Create(build.Session, queries, earlier, progress: Said(sw));
            var seconds = sw.Elapsed.TotalSeconds;
            var (before, peak) = sampler.Stop();
            Console.WriteLine($"  protection + audit, {earlier.Length} earlier release(s): {seconds:F1} s, working set {before:N0} MB before, peak {peak:N0} MB; " +
                              $"passed {result.Passed}, suppressed cells {result.SuppressedCells}, smallest interval {result.SmallestIntervalWidth}, " +
                              $"relations {result.Relations:N0}, linear programmes {result.LinearPrograms:N0}, solves {result.Solves:N0}, audit alone {result.Elapsed.TotalSeconds:F1} s; " +
                              $"narrowed if guessed not zero {result.NotZeroGuessNarrowed}");
            PrintHiddenCells(build);
        }
    }

    /// <summary>What the member tables of a build hide: the participant-count cells, those hidden, and how large.</summary>
    private static void PrintHiddenCells(ModelBuild build)
    {
        var cells = build.Session.Query($"""
            with cells as ({Finsam.Pipeline.Disclosure.PublishedTables.CellsSelect})
            select count(*), count(*) filter (where hidden), count(*) filter (where hidden and value >= 5), count(*) filter (where hidden and value >= 50),
                count(*) filter (where hidden and value >= 5 and scope in ('lan', 'alla'))
            from cells
            """).Rows.Single();
        Console.WriteLine($"  participant-count cells {cells[0]:N0}, hidden {cells[1]:N0}, from 5 {cells[2]:N0}, from 50 {cells[3]:N0}, " +
                          $"a county's or all federations' from 5 {cells[4]:N0}");
    }

    /// <summary>
    /// Two member releases a month apart at national scale: the data without every federation's last month (its curated
    /// partitions set aside) is built and released, then the month comes back and the next release is protected and audited
    /// together with the first, as the member calendar cuts them.
    /// </summary>
    /// <param name="years">Which years' participant counts the releases publish (<c>--complete-years</c>: complete years only).</param>
    public static void ReleaseMonth(string root, string queries, int scale, bool reuse, Finsam.Pipeline.Disclosure.ParticipantYears years)
    {
        GenerateOrReuse(root, scale, reuse);
        var storage = Path.Combine(root, "storage");
        foreach (var dataset in Finsam.Pipeline.Models.CuratedCache.Datasets.Append(Finsam.Pipeline.Curated.CuratedLayout.IngestionLog))
            foreach (var dropped in Directory.Exists(Path.Combine(storage, Containers.Curated, dataset))
                         ? Directory.EnumerateDirectories(Path.Combine(storage, Containers.Curated, dataset), "period=2026-01", SearchOption.AllDirectories).ToList() : [])
                Directory.Delete(dropped, recursive: true);
        // A run stopped before it put the months it set aside back leaves them in held/: they go back first.
        if (Directory.Exists(Path.Combine(root, "held")))
            foreach (var month in Directory.EnumerateDirectories(Path.Combine(root, "held"), "period=2025-12", SearchOption.AllDirectories).ToList())
                Directory.Move(month, Path.Combine(storage, Path.GetRelativePath(Path.Combine(root, "held"), month)));
        foreach (var stale in new[] { Path.Combine(storage, Containers.Published), Path.Combine(root, "work"), Path.Combine(root, "held") })
            if (Directory.Exists(stale)) Directory.Delete(stale, recursive: true);
        // Every federation's last month, set aside.
        var held = new List<(string From, string To)>();
        foreach (var dataset in Finsam.Pipeline.Models.CuratedCache.Datasets)
        {
            var folder = Path.Combine(storage, Containers.Curated, dataset);
            if (!Directory.Exists(folder)) continue;
            foreach (var month in Directory.EnumerateDirectories(folder, "period=2025-12", SearchOption.AllDirectories).ToList())
            {
                var to = Path.Combine(root, "held", Path.GetRelativePath(storage, month));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                Directory.Move(month, to);
                held.Add((to, month));
            }
        }
        Console.WriteLine($"set aside {held.Count} partitions of 2025-12");
        var store = new LocalFolderBlobStore(storage);
        var options = new ModelOptions(queries, Path.Combine(root, "work"));
        var publisher = new Finsam.Pipeline.Publishing.Publisher(store, participantYears: years);
        Console.WriteLine($"participant counts: {years}");
        var steps = Stopwatch.StartNew();
        var progress = new Progress<string>(step => Console.WriteLine($"{steps.Elapsed.TotalSeconds,6:F1} s {step}"));
        try
        {
            foreach (var release in new[] { "through 2025-11", "through 2025-12" })
            {
                using (var build = ModelBuild.RunAsync(store, options).GetAwaiter().GetResult())
                {
                    steps.Restart();
                    Console.WriteLine($"release {release}:");
                    var published = publisher.PublishAsync(build, options, progress: progress).GetAwaiter().GetResult();
                    Console.WriteLine($"  {steps.Elapsed.TotalSeconds:F1} s: " + string.Join("; ", published.Datasets.Select(d => d.Describe())));
                    PrintHiddenCells(build);
                }
                PutBack();
            }
        }
        finally
        {
            PutBack();
        }

        void PutBack()
        {
            foreach (var (from, to) in held) Directory.Move(from, to);
            held.Clear();
        }
    }

    /// <summary>The protection and audit alone of DIR's data as it is now, against the earlier releases' member kpi.parquet files given.</summary>
    public static void ProtectAgainst(string root, string queries, string[] earlier)
    {
        var store = new LocalFolderBlobStore(Path.Combine(root, "storage"));
        var options = new ModelOptions(queries, Path.Combine(root, "work"));
        using var build = ModelBuild.RunAsync(store, options).GetAwaiter().GetResult();
        var sw = Stopwatch.StartNew();
        var result = Finsam.Pipeline.Disclosure.PublishedTables.Create(build.Session, queries, earlier, progress: Said(sw));
        Console.WriteLine($"protection + audit, {earlier.Length} earlier release(s): {sw.Elapsed.TotalSeconds:F1} s; passed {result.Passed}, suppressed cells {result.SuppressedCells}, " +
                          $"audit alone {result.Elapsed.TotalSeconds:F1} s, linear programmes {result.LinearPrograms:N0}, solves {result.Solves:N0}");
    }

    /// <summary>The protection's progress on standard error, with the seconds since <paramref name="clock"/> started.</summary>
    private static Finsam.Pipeline.Contract.SynchronousProgress<string> Said(Stopwatch clock) =>
        new(step => Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,7:F1} s {step}"));

    /// <summary>Samples the process's working set every 20 ms: the peak while it runs, against the working set when it started.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly long _before;
        private long _peak;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;

        public PeakSampler()
        {
            using var self = Process.GetCurrentProcess();
            _before = _peak = self.WorkingSet64;
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var p = Process.GetCurrentProcess();
                    _peak = Math.Max(_peak, p.WorkingSet64);
                    Thread.Sleep(20);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public (long BeforeMb, long PeakMb) Stop()
        {
            _stop.Cancel();
            _thread.Join();
            return (_before >> 20, _peak >> 20);
        }

        public void Dispose() => _stop.Cancel();
    }
}
