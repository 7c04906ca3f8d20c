using System.Diagnostics;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;

namespace Finsam.Bench;

/// <summary>
/// What a scheduled run with nothing new costs: the <see cref="SourceState"/> fingerprint over a curated container of
/// national size (one small file per partition: the listing is the cost, not the bytes), the reference files and the SQL
/// project. `-- shortcut [partitions] [runs]`.
/// </summary>
public static class ShortcutBenchmark
{
    public static void Run(string queries, int partitions, int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), $"finsam-shortcut-{Guid.NewGuid():N}");
        try
        {
            var store = new LocalFolderBlobStore(root);
            string[] datasets = ["ledger", "opening_balances", "registrations", "volumes"];
            for (var i = 0; i < partitions; i++)
            {
                var path = Path.Combine(root, Containers.Curated, datasets[i % datasets.Length], $"federation=f{i / 480 % 80:D2}", $"period={2016 + i / 40 % 10}-{i % 12 + 1:D2}-{i}", "data.parquet");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, [1, 2, 3]);
            }
            foreach (var file in Directory.EnumerateFiles(Path.Combine(queries, "..", "samples", "reference")))
                store.WriteAsync(Containers.Reference, Path.GetFileName(file), File.ReadAllBytes(file), WriteCondition.Overwrite).GetAwaiter().GetResult();
            var state = new SourceState(store);
            Console.WriteLine($"Fingerprint over {partitions} curated partitions, the sample reference files and {Directory.EnumerateFiles(queries, "*", SearchOption.AllDirectories).Count()} files of queries/ (local folder store):");
            for (var run = 1; run <= runs; run++)
            {
                var clock = Stopwatch.StartNew();
                var fingerprint = state.FingerprintAsync(queries).GetAwaiter().GetResult();
                Console.WriteLine($"  run {run}: {clock.Elapsed.TotalSeconds:F2} s ({fingerprint[..12]}…)");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
