using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;

namespace Finsam.Bench;

/// <summary>
/// `ingest-memory [workstation|server] [--heap-limit MB] [--size MB] [--concurrent N] [cases…]`: the peak memory of one ingestion, each case in a fresh
/// process (a process's peak working set is its own, never reset). The parent writes each input into the landing folder of a
/// new local-folder store; the child ingests it with the default limits and reports the kernel's high-water mark of its
/// resident memory (<see cref="Process.PeakWorkingSet64"/>, VmHWM) and the managed heap's peak, sampled every 2 ms. With
/// --heap-limit the child's managed heap is capped (DOTNET_GCHeapHardLimit), as a container's memory caps it: the case
/// either completes within it or runs out of memory. With --size the generated files are of that size instead of the default
/// limit (<see cref="LimitSettings.DefaultMaxFileBytes"/>), and ingested with that limit. With --concurrent N, N copies of the
/// file (each with one byte changed, so none is a duplicate of another) are ingested at once in the one process, each by
/// <see cref="IngestionService.IngestBlobAsync"/> as a blob trigger delivers them.
/// </summary>
public static class IngestMemory
{
    private const string Federation = "bench";
    private static readonly Pseudonymizer Pseudonymizer = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    /// <summary>The cases: name, landing file name, what it is, and how to make its bytes.</summary>
    private static readonly (string Name, string File, string What, Func<long, byte[]> Make)[] Cases =
    [
        ("sie-small", "huvudbok.se", "SIE 4, 1 000 transactions (a large federation's month)", _ => GeneratedInputs.SieLedger(1_000)),
        ("participants-small", "deltagare.csv", "participant CSV, 1 000 registrations", _ => GeneratedInputs.ParticipantCsv(1_000)),
        ("sie-11mb", "huvudbok.se", "SIE 4, 200 000 transactions (the throughput benchmark's file)", _ => GeneratedInputs.SieLedger(200_000)),
        ("sie-limit", "huvudbok.se", "valid SIE 4 at the size limit", limit => AtMost(limit, GeneratedInputs.SieLedger, 200_000)),
        ("sie-garbage", "huvudbok.se", "#FLAGGA 0, then random bytes up to the limit", Garbage),
        ("sie-endless-line", "huvudbok.se", "#FLAGGA 0, then one line up to the limit", EndlessSieLine),
        ("csv-endless-line", "deltagare.csv", "participant header, then one line up to the limit", EndlessCsvLine),
        ("csv-garbage", "deltagare.csv", "participant header, then random bytes up to the limit", CsvGarbage),
        ("participants-limit", "deltagare.csv", "valid participant CSV at the size limit", limit => AtMost(limit, GeneratedInputs.ParticipantCsv, 50_000)),
    ];

    public static void Run(string[] args)
    {
        var gc = args.FirstOrDefault(a => a is "workstation" or "server");
        long? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 ? long.Parse(args[at + 1]) : null;
        var heapLimitMb = Option("--heap-limit");
        var concurrent = (int)(Option("--concurrent") ?? 1);
        var names = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !args[i - 1].StartsWith("--")) && a is not ("workstation" or "server")).ToList();
        var selected = names.Count == 0 ? Cases : Cases.Where(c => names.Contains(c.Name)).ToArray();
        var limit = Option("--size") is { } sizeMb ? sizeMb << 20 : LimitSettings.DefaultMaxFileBytes;
        var work = Path.Combine(Path.GetTempPath(), "finsam-bench", "memory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine($"# Finsam ingest peak memory, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
                              $"one fresh process per case, {gc ?? "server (as the bench and finsam)"} GC; limit {limit / (1 << 20)} MB" +
                              (heapLimitMb is { } h ? $"; managed heap capped at {h} MB (DOTNET_GCHeapHardLimit)" : "") +
                              (concurrent > 1 ? $"; {concurrent} files ingested at once in the one process." : "."));
            Console.WriteLine();
            Console.WriteLine("| case | file MB | outcome | s | process peak MB (before ingest) | × file | managed peak MB | GC committed peak MB |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|");
            foreach (var (name, file, what, make) in selected)
            {
                var root = Path.Combine(work, name);
                var bytes = make(limit);
                var store = new LocalFolderBlobStore(root);
                store.WriteAsync(Containers.Reference, "federations.csv", "federation_id;namn;org_nr;lan;medlemskommuner\nbench;Bänk;;Exempellän;9901\n"u8.ToArray(), WriteCondition.Overwrite).GetAwaiter().GetResult();
                for (var copy = 0; copy < concurrent; copy++)
                {
                    // A copy differs in its last byte (a line break, or a random byte of garbage): not a duplicate, and as valid.
                    if (copy > 0) bytes[^1] = bytes[^1] == (byte)'\n' ? (byte)'\r' : (byte)(bytes[^1] ^ 1);
                    store.WriteAsync(Containers.Landing, $"{Federation}/2025-01/{copy}_{file}", bytes, WriteCondition.Overwrite).GetAwaiter().GetResult();
                }
                var length = bytes.Length;
                bytes = null;
                GC.Collect();
                var result = Child(root, limit, gc, heapLimitMb);
                Console.WriteLine($"| {name}: {what} | {length / 1048576.0:F1} | {result.Outcome} | {result.Seconds:F1} | {result.PeakMb:N0} ({result.StartMb:N0}) | " +
                                  $"{result.PeakMb * 1048576.0 / length:F1} | {result.ManagedMb:N0} | {result.CommittedMb:N0} |");
                Directory.Delete(root, recursive: true);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Result(string Outcome, double Seconds, long PeakMb, long StartMb, long ManagedMb, long CommittedMb);

    private static Result Child(string root, long limit, string? gc, long? heapLimitMb)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet Finsam.Bench.dll` the host needs the assembly; the apphost does not.
        if (Path.GetFileName(Environment.ProcessPath!).StartsWith("dotnet")) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Finsam.Bench.dll"));
        start.ArgumentList.Add("ingest-memory-one");
        start.ArgumentList.Add(root);
        start.ArgumentList.Add(limit.ToString(CultureInfo.InvariantCulture));
        // The Functions app runs with the workstation collector (its default); the bench and finsam with the server collector.
        if (gc is not null) start.Environment["DOTNET_gcServer"] = gc == "server" ? "1" : "0";
        if (heapLimitMb is { } mb) start.Environment["DOTNET_GCHeapHardLimit"] = (mb << 20).ToString("x");
        start.RedirectStandardError = heapLimitMb is not null;
        using var process = Process.Start(start)!;
        var errors = heapLimitMb is null ? null : process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && errors?.Result.Contains("OutOfMemoryException") == true) return new Result("out of memory", 0, 0, 0, 0, 0);
        if (process.ExitCode != 0) throw new InvalidOperationException("The ingestion failed: " + output + errors?.Result);
        var p = output.Trim().Split('\t');
        return new Result(p[0], double.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2]), long.Parse(p[3]), long.Parse(p[4]), long.Parse(p[5]));
    }

    /// <summary>In the child: ingest everything in landing, then one tab-separated line: outcome, seconds, peak MB, start MB, managed peak MB, committed peak MB.</summary>
    public static void One(string root, long maxFileBytes)
    {
        var store = new LocalFolderBlobStore(root);
        using var self = Process.GetCurrentProcess();
        var startMb = self.WorkingSet64 >> 20;
        long managed = 0, committed = 0;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do
            {
                managed = Math.Max(managed, GC.GetTotalMemory(false));
                committed = Math.Max(committed, GC.GetGCMemoryInfo().TotalCommittedBytes);
            }
            while (!done.Wait(2));
        }) { IsBackground = true, Priority = ThreadPriority.Highest };
        sampler.Start();
        var sw = Stopwatch.StartNew();
        var options = new FinsamOptions { Limits = { MaxFileBytes = maxFileBytes } };
        var service = new IngestionService(store, Pseudonymizer, options: options);
        var names = store.ListAsync(Containers.Landing).Select(b => b.Name).ToListAsync().AsTask().GetAwaiter().GetResult();
        var outcomes = Task.WhenAll(names.Select(name => Task.Run(() => service.IngestBlobAsync(name)))).GetAwaiter().GetResult();
        var seconds = sw.Elapsed.TotalSeconds;
        done.Set();
        sampler.Join();
        self.Refresh();
        var file = outcomes.FirstOrDefault(o => o.Status != outcomes[0].Status) ?? outcomes[0];
        var outcome = file.Status == FileStatus.Failed
            ? "failed: " + (file.Message.Contains(nameof(OutOfMemoryException)) ? "out of memory" : file.Message[..Math.Min(60, file.Message.Length)])
            : $"{file.Status.ToString().ToLowerInvariant()}, {(file.Status == FileStatus.Accepted ? $"{file.RowCount:N0} rows" : $"{file.ErrorCount:N0} errors")}";
        outcome += GCSettings.IsServerGC ? "" : " (workstation GC)";
        Console.Error.WriteLine(file.Message.Length > 300 ? file.Message[..300] + "…" : file.Message);
        Console.WriteLine(string.Join('\t', outcome, seconds.ToString("F2", CultureInfo.InvariantCulture), self.PeakWorkingSet64 >> 20, startMb, managed >> 20, committed >> 20));
    }

    /// <summary>The largest file of the generator not over <paramref name="limit"/> bytes (rows scaled from a small file's size).</summary>
    public static byte[] AtMost(long limit, Func<int, byte[]> generate, int sampleRows)
    {
        var perRow = generate(sampleRows).Length / (double)sampleRows;
        var rows = (int)(limit / perRow * 0.999);
        while (true)
        {
            var bytes = generate(rows);
            if (bytes.Length <= limit) return bytes;
            rows = (int)(rows * 0.998);
        }
    }

    private static byte[] Garbage(long limit)
    {
        var bytes = new byte[limit];
        new Random(20261201).NextBytes(bytes);
        "#FLAGGA 0\r\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] EndlessSieLine(long limit)
    {
        var bytes = new byte[limit];
        bytes.AsSpan().Fill((byte)'x');
        "#FLAGGA 0\r\n#FNAMN \""u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] CsvGarbage(long limit)
    {
        var bytes = Garbage(limit);
        Encoding.UTF8.GetBytes(string.Join(';', Finsam.Pipeline.Participants.ParticipantCodes.Header) + "\n").CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] EndlessCsvLine(long limit)
    {
        var bytes = new byte[limit];
        bytes.AsSpan().Fill((byte)'x');
        var header = Encoding.UTF8.GetBytes(string.Join(';', Finsam.Pipeline.Participants.ParticipantCodes.Header) + "\nR1;");
        header.CopyTo(bytes, 0);
        return bytes;
    }
}
