using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;

namespace Finsam.Bench;

/// <summary>
/// `sizing [workstation|server] [--size MB] [--concurrent N] [--kind participants|sie] [--scale S]`: what one Functions instance
/// may have to hold at once, measured in one process as the worker would hold it: the warm model build of national data (scale
/// S, default 1) and N ingestions of files at the size limit (default: the worst kind, participants) started together. Each
/// case runs in a fresh process (peak working set = the kernel's high-water mark), the national data generated beforehand by this
/// one: the cold build (nothing compacted yet) and the first publish of both datasets, as on a new deployment, alone and with the
/// ingestions (on a second copy of the data); then the warm build alone, the ingestions alone, and both together.
/// </summary>
public static class SizingBenchmark
{
    private static readonly Pseudonymizer Pseudonymizer = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    public static void Run(string work, string queries, string[] args)
    {
        long? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
        var gc = args.FirstOrDefault(a => a is "workstation" or "server") ?? "workstation";
        var limit = Option("--size") is { } mb ? mb << 20 : LimitSettings.DefaultMaxFileBytes;
        var concurrent = (int)(Option("--concurrent") ?? 2);
        var scale = (int)(Option("--scale") ?? 1);
        var kind = Array.IndexOf(args, "--kind") is var k and >= 0 ? args[k + 1] : "participants";

        var root = Path.Combine(work, $"sizing-{Guid.NewGuid():N}");
        try
        {
            Console.WriteLine($"# Finsam instance sizing, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB; {gc} GC; national data at {scale}×; " +
                              $"{concurrent} {kind} file(s) of {limit / 1048576.0:F0} MB; DuckDB memory_limit {new ModelOptions("", "").MemoryLimit}.");
            var national = Path.Combine(root, "national");
            var second = Path.Combine(root, "national-2");
            var generated = NationalData.Generate(Path.Combine(national, "storage"), scale);
            NationalData.Generate(Path.Combine(second, "storage"), scale);
            Console.WriteLine($"Generated {generated.LedgerRows:N0} ledger rows, {generated.Registrations:N0} registrations (twice).");
            Console.WriteLine();
            Console.WriteLine("| in one process | s | process peak MB | managed peak MB | outcome |");
            Console.WriteLine("|---|---:|---:|---:|---|");
            Console.WriteLine($"| cold build (nothing compacted) and first publish | {Child(gc, "publish", national, queries, "", 0)}");
            Console.WriteLine($"| cold build and first publish with {concurrent} ingestion(s) | {Child(gc, "publish", second, queries, Landing(root, "c", kind, limit, concurrent), limit)}");
            Console.WriteLine($"| warm build alone | {Child(gc, "build", national, queries, "", 0)}");
            Console.WriteLine($"| {concurrent} ingestion(s) alone | {Child(gc, "none", national, queries, Landing(root, "a", kind, limit, concurrent), limit)}");
            Console.WriteLine($"| warm build and {concurrent} ingestion(s) together | {Child(gc, "build", national, queries, Landing(root, "b", kind, limit, concurrent), limit)}");
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A store of its own with <paramref name="count"/> different files at the limit in landing.</summary>
    private static string Landing(string root, string name, string kind, long limit, int count)
    {
        var path = Path.Combine(root, "ingest-" + name);
        var store = new LocalFolderBlobStore(path);
        store.WriteAsync(Containers.Reference, "federations.csv", "federation_id;namn;org_nr;lan;medlemskommuner\nbench;Bänk;;Exempellän;9901\n"u8.ToArray(), WriteCondition.Overwrite).GetAwaiter().GetResult();
        var bytes = IngestMemory.AtMost(limit, kind == "sie" ? GeneratedInputs.SieLedger : GeneratedInputs.ParticipantCsv, kind == "sie" ? 200_000 : 50_000);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) bytes[^1] = bytes[^1] == (byte)'\n' ? (byte)'\r' : (byte)'\n'; // not a duplicate, as valid
            store.WriteAsync(Containers.Landing, $"bench/2025-01/{i}_file.{(kind == "sie" ? "se" : "csv")}", bytes, WriteCondition.Overwrite).GetAwaiter().GetResult();
        }
        return path;
    }

    private static string Child(string gc, string what, string national, string queries, string ingest, long limit)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileName(Environment.ProcessPath!).StartsWith("dotnet")) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Finsam.Bench.dll"));
        foreach (var arg in new[] { "sizing-one", what, national, queries, ingest, limit.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_gcServer"] = gc == "server" ? "1" : "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"sizing-one {what} failed: {output}");
        return output.Trim();
    }

    /// <summary>In the child: the build (<paramref name="what"/> build, or publish: and then publish), the ingestions in <paramref name="ingest"/> if any, at once; then one table row's cells.</summary>
    public static void One(string what, string national, string queries, string ingest, long limit)
    {
        using var self = Process.GetCurrentProcess();
        long managed = 0;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do managed = Math.Max(managed, GC.GetTotalMemory(false));
            while (!done.Wait(2));
        }) { IsBackground = true };
        sampler.Start();
        var sw = Stopwatch.StartNew();
        var work = new List<Task<string>>();
        if (what is "build" or "publish")
            work.Add(Task.Run(async () =>
            {
                var store = new LocalFolderBlobStore(Path.Combine(national, "storage"));
                var options = new ModelOptions(queries, Path.Combine(national, "work"));
                using var build = await ModelBuild.RunAsync(store, options);
                var built = $"built ({build.AssertionFailures.Count} assertion failures) in {sw.Elapsed.TotalSeconds:F1} s";
                if (what != "publish") return built;
                var published = await new Finsam.Pipeline.Publishing.Publisher(store).PublishAsync(build, options);
                return $"{built}, published ({string.Join(", ", published.Datasets.Select(d => $"{d.Dataset} v{d.Version}"))}) in {sw.Elapsed.TotalSeconds:F1} s";
            }));
        if (ingest.Length > 0)
        {
            var store = new LocalFolderBlobStore(ingest);
            var service = new IngestionService(store, Pseudonymizer, options: new FinsamOptions { Limits = { MaxFileBytes = limit } });
            var names = store.ListAsync(Containers.Landing).Select(b => b.Name).ToListAsync().AsTask().GetAwaiter().GetResult();
            work.AddRange(names.Select(name => Task.Run(async () =>
            {
                var outcome = await service.IngestBlobAsync(name);
                return $"{outcome.Status.ToString().ToLowerInvariant()} ({outcome.RowCount:N0} rows) in {sw.Elapsed.TotalSeconds:F1} s";
            })));
        }
        var outcomes = Task.WhenAll(work).GetAwaiter().GetResult();
        var seconds = sw.Elapsed.TotalSeconds;
        done.Set();
        sampler.Join();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{seconds:F1} | {self.PeakWorkingSet64 >> 20:N0} | {managed >> 20:N0} | {string.Join("; ", outcomes)}{(GCSettings.IsServerGC ? "" : " (workstation GC)")} |"));
    }
}
