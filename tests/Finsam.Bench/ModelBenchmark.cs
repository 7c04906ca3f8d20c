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

    private static (double Seconds, long PeakMb, long KpiRows) Child(string root, string queries)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet Finsam.Bench.dll` the host needs the assembly; the apphost does not.
        if (Path.GetFileName(Environment.ProcessPath!).StartsWith("dotnet")) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Finsam.Bench.dll"));
        foreach (var arg in new[] { "models-one", root, queries }) start.ArgumentList.Add(arg);
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
        var progress = new Finsam.Pipeline.SynchronousProgress<string>(step => Console.Error.WriteLine($"{sw.Elapsed.TotalSeconds,6:F2} s {step}"));
        using var build = ModelBuild.RunAsync(store, options, progress).GetAwaiter().GetResult();
        var seconds = sw.Elapsed.TotalSeconds;
        if (build.AssertionFailures.Count > 0) throw new InvalidOperationException("Assertion failed: " + build.AssertionFailures[0].Name);
        var kpiRows = Convert.ToInt64(build.Session.Query("select count(*) from kpi").Rows[0][0]);
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds:F2} {self.PeakWorkingSet64 / (1 << 20)} {kpiRows}"));
    }

    /// <summary>`models-publish DIR SCALE`: generates national data, builds once, then times the first publish (v1) and a publish of the same build (unchanged).</summary>
    public static void Publish(string root, string queries, int scale)
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var (ledger, registrations, _) = NationalData.Generate(Path.Combine(root, "storage"), scale);
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
    }
}
