using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// The linux-x64 release archive as a federation gets it: made by packaging/publish.sh, unpacked into a
/// clean folder and run from an empty working folder, with no .NET on PATH and no DOTNET_ROOT.
/// The samples and SQL models it uses are the ones shipped beside the binary.
/// </summary>
public class SelfContainedBinaryTests(SelfContainedBinary binary) : IClassFixture<SelfContainedBinary>
{
    [Fact]
    public void The_archive_is_listed_in_SHA256SUMS_and_holds_one_binary_with_duckdb_samples_queries_and_the_guide()
    {
        var sums = File.ReadAllLines(Path.Combine(binary.Dist, "SHA256SUMS"));
        var archive = Path.GetFileName(binary.Archive);

        Assert.Equal([$"{Sha256(binary.Archive)}  {archive}"], sums);
        // Beside the binary: DuckDB's native library and OR-Tools' (the small-count audit's linear programmes), which
        // single-file programs leave beside them rather than unpack at start.
        var entries = Directory.EnumerateFileSystemEntries(binary.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["federations.md", "finsam", "libduckdb.so", "queries", "samples"], entries.Where(e => e == "libduckdb.so" || !e!.Contains(".so", StringComparison.Ordinal)));
        Assert.Contains("google-ortools-native.so", entries);
        Assert.Contains("libortools.so.9", entries);
    }

    [Fact]
    public void The_binary_carries_the_runtime_itself()
    {
        // The .NET host on this machine is in /usr/share/dotnet, where a framework-dependent program would find it even
        // with dotnet off PATH; so check the bundle itself: a self-contained single file holds the runtime's core library
        // and the runtime's native code, and no .dll sits beside it.
        var bytes = File.ReadAllBytes(binary.Executable);

        Assert.True(bytes.Length > 60_000_000, $"finsam is {bytes.Length} bytes: too small to hold the .NET runtime.");
        Assert.True(bytes.AsSpan().IndexOf("System.Private.CoreLib.dll"u8) >= 0, "The runtime's core library is not in the bundle.");
        Assert.True(bytes.AsSpan().IndexOf("libcoreclr.so"u8) >= 0 || bytes.AsSpan().IndexOf("coreclr_initialize"u8) >= 0, "The runtime is not in the bundle.");
        Assert.Empty(Directory.EnumerateFiles(binary.Folder, "*.dll"));
    }

    [Fact]
    public async Task Validate_a_good_sample_exits_0_with_the_verdict_on_stdout()
    {
        using var work = new TempFolder();
        var sample = Path.Combine(binary.Folder, "samples", "landing", "aspdalen", "2025-02", "aspdalen_huvudbok_202502.se");

        var run = await binary.RunAsync(work.Path, "validate", sample, "--federation", "aspdalen", "--period", "2025-02");

        Assert.Equal(0, run.Exit);
        Assert.Equal("Giltig / Valid: aspdalen_huvudbok_202502.se (SieLedger, 19 rows, 0 warning(s)).\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Validate_a_file_with_an_impossible_voucher_date_exits_1_with_line_column_and_value_on_stdout()
    {
        using var work = new TempFolder();
        var file = Path.Combine(work.Path, "aspdalen_huvudbok_202502.se");
        File.WriteAllBytes(file, ReplaceOnce(Samples.File("aspdalen/2025-02/aspdalen_huvudbok_202502.se"),
            "#VER A 102 20250205", "#VER A 102 20250230")); // 30 February, on line 40

        var run = await binary.RunAsync(work.Path, "validate", file, "--federation", "aspdalen", "--period", "2025-02");

        Assert.Equal(1, run.Exit);
        var lines = run.Stdout.Split('\n');
        Assert.Equal("Filen avvisades / The file was rejected: aspdalen_huvudbok_202502.se", lines[0]);
        Assert.Contains("Fel / Errors: 1   Varningar / Warnings: 0", lines);
        var issue = Array.IndexOf(lines, "[error] rad/line 40, kolumn/column #VER verdatum – värde/value '20250230'");
        Assert.True(issue > 0, run.Stdout);
        Assert.Equal("    Verifikationsdatum ska vara ÅÅÅÅMMDD. Datumet finns inte i kalendern.", lines[issue + 1]);
        Assert.Equal("    The voucher date must be YYYYMMDD. That date does not exist in the calendar.", lines[issue + 2]);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Demo_ingests_the_samples_shipped_beside_it_build_prints_the_kpis_and_a_release_audits_the_member_files()
    {
        using var work = new TempFolder();
        var storage = Path.Combine(work.Path, "finsam-data");

        var demo = await binary.RunAsync(work.Path, "demo");
        var build = await binary.RunAsync(work.Path, "build");

        Assert.Equal(0, demo.Exit);
        Assert.Contains($"Copied 34 sample file(s) from {Path.Combine(binary.Folder, "samples")} into local folder {storage}\n", demo.Stdout);
        Assert.Contains("[29/29] accepted", demo.Stdout);
        Assert.Contains($"29 file(s) processed in local folder {storage}: 29 accepted, 0 rejected, 0 unchanged.\n", demo.Stdout);
        Assert.Equal(0, build.Exit);
        Assert.Contains("Nyckeltal / KPIs (year to date)", build.Stdout);
        Assert.Matches(@"│ aspdalen\s+│ 2025 \(2025-03, prel\.\)\s+│\s+1 200 000 kr │\s+965 810 kr │", build.Stdout);
        Assert.Matches(@"│ Exempellän\s+│ 2025 \(2025-03, prel\., 4 förb\.\) │\s+4 320 000 kr │\s+3 545 904 kr │", build.Stdout);
        Assert.Contains("wrote curated/models/kpi.parquet, curated/models/kpi_catalog.parquet, curated/models/quality.parquet, curated/models/places.parquet.", build.Stdout);
        Assert.True(File.Exists(Path.Combine(storage, "curated", "models", "kpi.parquet")));

        // A member release runs the small-count audit: OR-Tools' native libraries load from beside the binary.
        var release = await binary.RunAsync(work.Path, "release");
        Assert.Equal(0, release.Exit);
        Assert.Contains("kpi: published v1", release.Stdout);
        Assert.Contains("\"passed\": true", File.ReadAllText(Path.Combine(storage, "published", "kpi", "v1", "manifest.json")));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static byte[] ReplaceOnce(byte[] bytes, string ascii, string replacement)
    {
        var text = Encoding.Latin1.GetString(bytes); // byte for byte, so the codepage 437 letters stay as they are
        var at = text.IndexOf(ascii, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(ascii, at + 1, StringComparison.Ordinal) < 0, ascii);
        return Encoding.Latin1.GetBytes(text.Replace(ascii, replacement, StringComparison.Ordinal));
    }
}

/// <summary>
/// Runs packaging/publish.sh for linux-x64 once per test class (dotnet publish reuses what is up to date)
/// and unpacks the archive into a clean folder.
/// </summary>
public sealed class SelfContainedBinary : IAsyncLifetime
{
    private const string Rid = "linux-x64";
    private readonly TempFolder _dist = new();
    private readonly TempFolder _unpacked = new();
    private readonly TempFolder _home = new();

    public string Dist => _dist.Path;
    public string Archive { get; private set; } = "";
    /// <summary>The unpacked folder, finsam-VERSION-linux-x64/.</summary>
    public string Folder { get; private set; } = "";
    public string Executable => Path.Combine(Folder, "finsam");

    public async Task InitializeAsync()
    {
        var publish = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { Path.Combine(RepoPaths.Root, "packaging", "publish.sh"), "--out", Dist, Rid }) publish.ArgumentList.Add(arg);
        // A build of its own, not a part of the `dotnet test` build that started this test host.
        foreach (var name in publish.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            publish.Environment.Remove(name);
        var run = await RunAsync(publish);
        if (run.Exit != 0) throw new InvalidOperationException($"packaging/publish.sh failed ({run.Exit}):\n{run.Stdout}\n{run.Stderr}");

        Archive = Directory.GetFiles(Dist, $"finsam-*-{Rid}.tar.gz").Single();
        await using (var gzip = new GZipStream(File.OpenRead(Archive), CompressionMode.Decompress))
            await TarFile.ExtractToDirectoryAsync(gzip, _unpacked.Path, overwriteFiles: false);
        Folder = Directory.GetDirectories(_unpacked.Path).Single();
    }

    /// <summary>
    /// Runs the binary in <paramref name="workingFolder"/> with an environment built from nothing: a PATH
    /// without any folder that holds dotnet, a HOME of its own, and nothing else (no DOTNET_ROOT).
    /// </summary>
    public Task<ProcessRun> RunAsync(string workingFolder, params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { WorkingDirectory = workingFolder };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Clear();
        start.Environment["PATH"] = PathWithoutDotnet();
        start.Environment["HOME"] = _home.Path;
        return RunAsync(start);
    }

    private static string PathWithoutDotnet() =>
        string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(folder => !File.Exists(Path.Combine(folder, "dotnet"))));

    private static async Task<ProcessRun> RunAsync(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

    public Task DisposeAsync()
    {
        _dist.Dispose();
        _unpacked.Dispose();
        _home.Dispose();
        return Task.CompletedTask;
    }
}

public sealed record ProcessRun(int Exit, string Stdout, string Stderr);
