using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Xunit.Abstractions;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// `finsam host` end to end: the real program as a child process on an Azurite of its own (the host uses the storage
/// account's containers without a test prefix), killed in the middle of a pass and started again, ended with SIGTERM.
/// </summary>
public sealed class LocalHostEndToEndTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private const string BadFile = "granmo/2025-03/granmo_deltagare_rattelse.csv";

    [Fact]
    public async Task Host_publishes_ingests_every_file_once_across_a_SIGKILL_quarantines_a_bad_file_and_stops_on_SIGTERM()
    {
        var clock = Stopwatch.StartNew();
        using var folder = new TempFolder();
        var store = AzureBlobStore.FromConnectionString(azurite.ConnectionString);
        await SeedReferenceAsync(store);
        var environment = new Dictionary<string, string>
        {
            [FinsamSettings.StorageConnection] = azurite.ConnectionString,
            [PseudonymKeyException.SettingName] = TestPersons.KeyBase64,
        };
        // Member releases are audited against every earlier one, so a release cut from part of a delivery can make the next
        // one refuse (issue 18). The first host cuts none (its schedule is once a year); the second one release, once at a
        // moment well after it has taken in what was left in landing.
        string[] Host(string releaseSchedule) =>
            ["host", "--poll", "1", "--schedule", "*/3 * * * * *", "--release-schedule", releaseSchedule, "--work", Path.Combine(folder.Path, "work"), "--threads", "2"];
        static string Once(DateTime at) => $"{at.Second} {at.Minute} {at.Hour} * * *";
        var january = Samples.LandingFiles().Where(f => f.Name.Contains("/2025-01/")).ToList();
        var later = Samples.LandingFiles().Where(f => !f.Name.Contains("/2025-01/")).ToList();
        var (badBytes, badNumber) = BadParticipantFile();
        var outputs = new List<string>();
        try
        {
            using (var first = FinsamProcess.Start(environment, folder.Path, Host("0 0 0 1 1 *")))
            {
                try
                {
                    // January lands and is published for the controller (perhaps after a version made while it was still landing).
                    await first.NextLineAsync(l => l.Contains("Polling landing in Azure storage account devstoreaccount1"), Deadline);
                    await DropAsync(store, january);
                    await WaitUntilAsync(first, async () => await PublishedInputsAsync(store, PublishedLayout.CuratedDataset) == january.Count);

                    // February and March land; the host is killed (SIGKILL) as soon as it has archived the second of them in
                    // raw/, the first step of a file: in the middle of that file as a rule, in the middle of the pass always.
                    await DropAsync(store, later);
                    await WaitUntilAsync(first, async () => await CountAsync(store, Containers.Raw) >= january.Count + 2, every: TimeSpan.FromMilliseconds(5));
                    first.Kill();
                    await first.WaitForExitAsync(Deadline);
                }
                finally
                {
                    outputs.Add(first.Output);
                }
            }
            var (left, archived, logged) = (await CountAsync(store, Containers.Landing), await CountAsync(store, Containers.Raw), (await new IngestionLog(store).AllEntriesAsync(default)).Count);
            output.WriteLine($"Killed with {left} of {later.Count} files in landing, {archived} archived in raw/, {logged} in the ingestion log: " +
                             (archived > logged ? "in the middle of a file, before its outcome was logged." : left + logged > Samples.LandingFiles().Count() ? "in the middle of a file, after its outcome was logged." : "between two files."));
            Assert.InRange(left, 1, later.Count - 1);

            using (var second = FinsamProcess.Start(environment, folder.Path, Host(Once(DateTime.UtcNow.AddSeconds(30)))))
            {
                try
                {
                    // The second host ingests the rest and publishes all the sample files, for the controller and in a member release.
                    await WaitUntilAsync(second, async () => await CountAsync(store, Containers.Landing) == 0);
                    await WaitUntilAsync(second, async () => await PublishedInputsAsync(store) == Samples.LandingFiles().Count());
                    await WaitUntilAsync(second, async () => await PublishedInputsAsync(store, PublishedLayout.CuratedDataset) == Samples.LandingFiles().Count());

                    // A file that breaks the contract is quarantined while the host runs on.
                    await store.WriteAsync(Containers.Landing, BadFile, badBytes, WriteCondition.Overwrite);
                    await WaitUntilAsync(second, async () => await store.ListAsync(Containers.Quarantine).AnyAsync(b => b.Name.EndsWith("_granmo_deltagare_rattelse.csv.report.json")));
                    await WaitUntilAsync(second, async () => await CountAsync(store, Containers.Landing) == 0);
                    Assert.False(second.HasExited);

                    // SIGTERM: a graceful stop.
                    second.Terminate();
                    Assert.Equal(0, await second.WaitForExitAsync(Deadline));
                }
                finally
                {
                    outputs.Add(second.Output);
                }
                Assert.Contains("Application is shutting down...", outputs[^1]);
                Assert.Contains("Stopped polling landing", outputs[^1]);
                Assert.EndsWith("finsam host stopped gracefully", outputs[^1].TrimEnd());
            }

            // Every sample file was accepted exactly once, whatever the kill interrupted; the bad one was rejected.
            var log = await new IngestionLog(store).AllEntriesAsync(default);
            Assert.Equal(
                Samples.LandingFiles().Select(f => Sha256(f.Bytes)).Order(StringComparer.Ordinal),
                log.Where(e => e.Status == "accepted").Select(e => e.Sha256).Order(StringComparer.Ordinal));
            Assert.Equal(["rejected"], log.Where(e => e.Sha256 == Sha256(badBytes)).Select(e => e.Status));
            var receipts = await new LandingReceipts(store).AllAsync(default);
            Assert.Contains(receipts, r => r.LandingName == BadFile);
            Assert.All(receipts, r => Assert.Equal(LandingReceipts.Processed, r.State));

            // The curated data is byte for byte that of a clean run.
            var clean = new LocalFolderBlobStore(Path.Combine(folder.Path, "clean"));
            await Samples.IngestAllAsync(clean);
            var expected = await DataPartitionsAsync(clean);
            Assert.Equal(36, expected.Count);
            Assert.Equal(expected, await DataPartitionsAsync(store));

            // No identity number, in any form, in anything either host wrote.
            var everything = string.Join('\n', outputs);
            var forms = IdentityNumberForms([.. SampleIdentityNumbers(), badNumber]).ToList();
            Assert.Equal(288, forms.Count); // the samples write 20 numbers with 10 digits (3 forms each) and 45 with 12 (5 each); the bad file one more
            Assert.DoesNotContain(forms, everything.Contains);
        }
        finally
        {
            foreach (var text in outputs) output.WriteLine(text);
            output.WriteLine($"End to end in {clock.Elapsed.TotalSeconds:F0} s.");
        }
    }

    private static async Task SeedReferenceAsync(IBlobStore store)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "reference")))
            await store.WriteAsync(Containers.Reference, Path.GetFileName(file), await File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
    }

    private static async Task DropAsync(IBlobStore store, IEnumerable<(string Name, byte[] Bytes)> files)
    {
        foreach (var (name, bytes) in files) await store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);
    }

    /// <summary>The input files of the latest version of a dataset (0 before the first).</summary>
    private static async Task<int> PublishedInputsAsync(IBlobStore store, string dataset = PublishedLayout.KpiDataset) =>
        await store.GetInfoAsync(Containers.Published, PublishedLayout.Pointer(dataset, PublishedLayout.LatestPointer)) is null ? 0
        : (await new DatasetVersions(store).ResolveAsync(dataset, PublishedLayout.LatestPointer)).Inputs.Count;

    private static async Task<int> CountAsync(IBlobStore store, string container) => await store.ListAsync(container).CountAsync();

    /// <summary>Waits with a generous deadline; fails at once, with its output, if the host has exited.</summary>
    private static async Task WaitUntilAsync(FinsamProcess host, Func<Task<bool>> condition, TimeSpan? every = null)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (host.HasExited) throw new InvalidOperationException($"finsam host exited. Its output:\n{host.Output}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"Not done within {Deadline.TotalSeconds} s. The host's output:\n{host.Output}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Each curated data file (ledger, opening balances, registrations) with the SHA-256 of its bytes.</summary>
    private static async Task<SortedDictionary<string, string>> DataPartitionsAsync(IBlobStore store)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dataset in new[] { CuratedLayout.Ledger, CuratedLayout.OpeningBalances, CuratedLayout.Registrations })
            await foreach (var blob in store.ListAsync(Containers.Curated, dataset + "/"))
                files[blob.Name] = Sha256((await store.ReadAsync(Containers.Curated, blob.Name)).Bytes);
        return files;
    }

    /// <summary>Granmo's March participants again, the first registration only, with a wrong check digit in its identity number.</summary>
    private static (byte[] Bytes, string Number) BadParticipantFile()
    {
        var lines = Encoding.UTF8.GetString(Samples.File("granmo/2025-03/granmo_deltagare_202503.csv")).Split('\n');
        var cells = lines[1].Split(';');
        var number = cells[1];
        cells[1] = number[..^1] + (char)('0' + (number[^1] - '0' + 1) % 10);
        return (Encoding.UTF8.GetBytes($"{lines[0]}\n{string.Join(';', cells)}\n"), cells[1]);
    }

    /// <summary>The personnummer column of every sample participant file.</summary>
    private static IEnumerable<string> SampleIdentityNumbers() =>
        Samples.LandingFiles().Where(f => f.Name.Contains("deltagare"))
            .SelectMany(f => Encoding.UTF8.GetString(f.Bytes).Split('\n').Skip(1))
            .Select(line => line.Split(';') is { Length: > 1 } cells ? cells[1].Trim() : "")
            .Where(number => number.Length > 0);

    /// <summary>Each number as 10 digits with '-', '+' or nothing before the last four, and as 12 digits with '-' or without.</summary>
    private static IEnumerable<string> IdentityNumberForms(IEnumerable<string> numbers)
    {
        foreach (var number in numbers.Distinct())
        {
            var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
            Assert.True(digits.Length is 10 or 12, $"'{number}' is not an identity number");
            var ten = digits[^10..];
            foreach (var form in new[] { ten, $"{ten[..6]}-{ten[6..]}", $"{ten[..6]}+{ten[6..]}" }) yield return form;
            if (digits.Length == 12)
                foreach (var form in new[] { digits, $"{digits[..8]}-{digits[8..]}" }) yield return form;
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
