using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Finsam.Cli;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Spectre.Console.Testing;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// `finsam erase` end to end on Azurite: one person of granmo's samples (in all three months, two registrations each, and in
/// a rejected file) is taken out of everything stored once granmo has delivered corrected exports, and afterwards no byte
/// in any container, and no value of any Parquet file, holds their identity number or pseudonym.
/// </summary>
public sealed class EraseCliTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Person = "19650617-5766";
    private const string RejectedFile = "granmo/2025-03/granmo_deltagare_rattelse.csv";
    private static readonly string[] Months = ["2025-01", "2025-02", "2025-03"];

    [Fact]
    public async Task After_corrected_deliveries_the_person_is_nowhere_in_storage_and_everyone_else_stays()
    {
        using var folder = new TempFolder();
        var store = AzureBlobStore.FromConnectionString(azurite.ConnectionString);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "reference")))
            await store.WriteAsync(Containers.Reference, Path.GetFileName(file), await File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
        await Samples.DropAllAsync(store);
        var rejected = Encoding.UTF8.GetBytes(Header() + "\nGR-1003;19650617-5766;nej;K;;9912;granmo-MT;Mottagningsteam;individ;2024-13-11;;gymnasium;a_kassa;;\n");
        await store.WriteAsync(Containers.Landing, RejectedFile, rejected, WriteCondition.Overwrite);
        var ingest = await RunAsync(folder, "ingest");
        Assert.True(ingest.Exit == CliApp.InputRejected, ingest.Output);
        Assert.Equal(0, (await RunAsync(folder, "publish")).Exit);
        Assert.Equal(0, (await RunAsync(folder, "release")).Exit);
        var rawBefore = await NamesAsync(store, Containers.Raw);

        // The data as it stands holds the person: nothing can be erased yet, and nothing is.
        var (exit, output) = await RunAsync(folder, "erase", "--personnummer", Person, "--yes");
        Assert.Equal(CliApp.InputRejected, exit);
        Assert.Contains("Looking for 19650617-**** in Azure storage account devstoreaccount1", output);
        Assert.Contains("Nothing was erased: the accepted registrations of granmo 2025-01, granmo 2025-02, granmo 2025-03 hold the person", output);
        Assert.DoesNotContain(Person, output);
        Assert.Equal(rawBefore, await NamesAsync(store, Containers.Raw));

        // granmo delivers corrected exports of the three months.
        foreach (var month in Months)
            await store.WriteAsync(Containers.Landing, $"granmo/{month}/granmo_deltagare_{month.Replace("-", "")}.csv", Corrected(month), WriteCondition.Overwrite);
        Assert.Equal(0, (await RunAsync(folder, "ingest")).Exit);

        // The check below finds the person where they are before the erasure.
        using (var before = new TempFolder())
        {
            var holders = await HoldersAsync(store, before);
            Assert.Contains("published/curated/v1/registrations.parquet", holders);
            // The three months' first exports and the rejected file in raw/, its copy in quarantine/, the build's compacted
            // registrations and the controller's version.
            Assert.Equal(7, holders.Count);
            Assert.Contains(holders, h => h.StartsWith("curated/compacted/registrations/federation=granmo/"));
            Assert.Contains($"raw/{Sha256(Samples.File("granmo/2025-02/granmo_deltagare_202502.csv"))}", holders);
            Assert.Contains(holders, h => h.StartsWith("quarantine/granmo/2025-03/") && h.EndsWith("_granmo_deltagare_rattelse.csv"));
            Assert.DoesNotContain(holders, h => h.StartsWith("curated/registrations/"));
        }

        // Without --yes: what holds the person, and nothing deleted.
        (exit, output) = await RunAsync(folder, "erase", "--personnummer", Person);
        Assert.Equal(0, exit);
        var originals = Months.Select(m => Sha256(Samples.File($"granmo/{m}/granmo_deltagare_{m.Replace("-", "")}.csv"))).Append(Sha256(rejected)).Order(StringComparer.Ordinal).ToList();
        foreach (var sha in originals) Assert.Contains($"  {sha}", output);
        Assert.Contains("curated v1 (latest)", output);
        Assert.Contains("Nothing was deleted. Run again with --yes", output);
        Assert.Equal(rawBefore.Count + 3, (await NamesAsync(store, Containers.Raw)).Count);

        // The number from standard input, out of the shell's history.
        (exit, output) = await RunAsync(folder, "erase", "--personnummer", "-", "--yes");
        Assert.Equal(0, exit);
        Assert.Contains("curated: published v2", output);
        Assert.Contains("Nothing stored holds this person any more.", output);

        // The originals that held the person are gone; the corrected ones and every other federation's stay.
        Assert.Equal(rawBefore.Except(originals).Count() + 3, (await NamesAsync(store, Containers.Raw)).Count);
        Assert.Empty((await NamesAsync(store, Containers.Raw)).Intersect(originals));
        Assert.DoesNotContain(await NamesAsync(store, Containers.Quarantine), n => !n.EndsWith(".report.txt") && !n.EndsWith(".report.json"));
        // The members' release and its disclosure record hold counts only and stay.
        Assert.Equal(["audit/kpi/", "curated/latest.json", "curated/v2/", "kpi/latest.json", "kpi/v1/"],
            (await NamesAsync(store, Containers.Published)).Select(n => n.Split('/') is [var d, var v, _, ..] ? $"{d}/{v}/" : n).Distinct().Order(StringComparer.Ordinal));

        // No byte of any container, and no value of any Parquet file, holds the person.
        using var local = new TempFolder();
        Assert.Empty(await HoldersAsync(store, local));

        // Everyone else is still there: granmo's 37 registrations less the person's six, and the other federations'.
        var registrations = Path.Combine(local.Path, Containers.Published, "curated", "v2", "registrations.parquet");
        var byFederation = DuckDb.Query($"select federation, count(*) from read_parquet('{registrations}') group by federation order by federation")
            .Select(r => ((string)r[0]!, Convert.ToInt32(r[1]))).ToList();
        Assert.Contains(("granmo", 31), byFederation);
        Assert.Equal(4, byFederation.Count);

        (exit, output) = await RunAsync(folder, "erase", "--personnummer", Person);
        Assert.Equal((0, true), (exit, output.Contains("Nothing stored holds this person.")));
    }

    [Fact]
    public async Task A_ledger_still_current_is_kept_until_corrected_and_when_a_later_version_no_longer_holds_the_person_only_the_earlier_one_goes()
    {
        using var folder = new TempFolder();
        var storage = Path.Combine(folder.Path, "storage");
        var store = new LocalFolderBlobStore(storage);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "reference")))
            await store.WriteAsync(Containers.Reference, Path.GetFileName(file), await File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
        await Samples.DropAllAsync(store);
        // aspdalen's January ledger names the person in a voucher's text (masked in curated/, there in the original).
        const string ledger = "aspdalen/2025-01/aspdalen_huvudbok_202501.se";
        var named = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(Samples.File(ledger)).Replace("\"Hyra kontor\"", "\"Hyra kontor, 650617-5766\""));
        await store.WriteAsync(Containers.Landing, ledger, named, WriteCondition.Overwrite);
        Assert.Equal(0, (await RunAsync(folder, "ingest", "--storage", storage)).Exit);
        Assert.Equal(0, (await RunAsync(folder, "publish", "--storage", storage)).Exit);
        foreach (var month in Months)
            await store.WriteAsync(Containers.Landing, $"granmo/{month}/granmo_deltagare_{month.Replace("-", "")}.csv", Corrected(month), WriteCondition.Overwrite);
        Assert.Equal(0, (await RunAsync(folder, "ingest", "--storage", storage)).Exit);
        Assert.Equal(0, (await RunAsync(folder, "publish", "--storage", storage)).Exit);

        // The ledger is still January's accepted delivery, and the only copy of its data: it is not deleted.
        var (exit, output) = await RunAsync(folder, "erase", "--personnummer", "650617-5766", "--yes", "--storage", storage);
        Assert.Equal(CliApp.InputRejected, exit);
        Assert.Contains("Nothing was erased: the accepted deliveries of aspdalen 2025-01 (ledger) hold the identity number in their text", output);
        Assert.Contains(Sha256(named), (await NamesAsync(store, Containers.Raw)));

        // aspdalen delivers the ledger again without the name.
        await store.WriteAsync(Containers.Landing, ledger, Samples.File(ledger), WriteCondition.Overwrite);
        Assert.Equal(0, (await RunAsync(folder, "ingest", "--storage", storage)).Exit);
        Assert.Equal(0, (await RunAsync(folder, "publish", "--storage", storage)).Exit);

        (exit, output) = await RunAsync(folder, "erase", "--personnummer", "650617-5766", "--yes", "--storage", storage);

        Assert.Equal(0, exit);
        Assert.Contains("curated v1\n", output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("published v", output);
        Assert.Contains("Deleted ", output);
        Assert.Contains("Nothing stored holds this person any more.", output);
        var published = await NamesAsync(store, Containers.Published);
        Assert.DoesNotContain(published, n => n.StartsWith("curated/v1/"));
        Assert.Contains("curated/v2/manifest.json", published);
        Assert.Equal(3, (await NamesAsync(store, Containers.Raw)).Count(n => Months.Any(m => n == Sha256(Corrected(m)))));
        Assert.DoesNotContain(Sha256(named), await NamesAsync(store, Containers.Raw));
        Assert.Contains(Sha256(Samples.File(ledger)), await NamesAsync(store, Containers.Raw));
    }

    [Fact]
    public async Task A_number_that_is_not_one_is_refused_with_why()
    {
        using var folder = new TempFolder();

        var (exit, output) = await RunAsync(folder, "erase", "--personnummer", "19651317-5766");

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains("--personnummer is not an identity number: the date of birth does not exist.", output);
    }

    /// <summary>finsam on Azurite, or with --storage in <paramref name="args"/> on a local folder.</summary>
    private async Task<(int Exit, string Output)> RunAsync(TempFolder folder, params string[] args)
    {
        var console = new TestConsole().Width(400);
        var env = new Dictionary<string, string> { [PseudonymKeyException.EnvironmentVariable] = TestPersons.KeyBase64 };
        if (!args.Contains("--storage")) env[FinsamSettings.StorageConnection] = azurite.ConnectionString;
        var withWork = args[0] is "publish" or "release" or "erase" ? [.. args, "--work", Path.Combine(folder.Path, "work")] : args;
        var exit = await CliApp.RunAsync(withWork, console, TestConfiguration.From(env), new StringReader(Person + "\n"));
        // No run prints the person's number (the listing masks it) or their pseudonym.
        Assert.DoesNotMatch(@"(?:19)?650617\D{0,3}5766", console.Output);
        Assert.DoesNotContain(new Pseudonymizer(TestPersons.Key).Pseudonymize(Parse(Person)), console.Output);
        return (exit, console.Output);
    }

    /// <summary>Every blob (container/name) whose bytes, or any value of whose Parquet rows, hold the person's number or pseudonym.</summary>
    private static async Task<List<string>> HoldersAsync(IBlobStore store, TempFolder local)
    {
        var pseudonym = new Pseudonymizer(TestPersons.Key).Pseudonymize(Parse(Person));
        var number = new Regex(@"(?<!\d)(?:19)?650617[-+ ]?5766(?!\d)");
        var holders = new List<string>();
        foreach (var container in Containers.All)
        {
            var root = await DuckDb.MaterializeAsync(store, container, local);
            if (!Directory.Exists(root)) continue;
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
                var holds = number.IsMatch(text) || text.Contains(pseudonym);
                if (!holds && file.EndsWith(".parquet"))
                    holds = DuckDb.Query($"select cast(t as varchar) from read_parquet('{file}') as t")
                        .Any(r => number.IsMatch((string)r[0]!) || ((string)r[0]!).Contains(pseudonym));
                if (holds) holders.Add(Path.GetRelativePath(local.Path, file).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }
        return holders;
    }

    private static string Header() => Encoding.UTF8.GetString(Samples.File("granmo/2025-01/granmo_deltagare_202501.csv")).Split('\n')[0];

    /// <summary>The month's sample export without the person's rows.</summary>
    private static byte[] Corrected(string month)
    {
        var lines = Encoding.UTF8.GetString(Samples.File($"granmo/{month}/granmo_deltagare_{month.Replace("-", "")}.csv")).Split('\n');
        var kept = lines.Where(l => !l.Contains(Person)).ToList();
        Assert.Equal(lines.Length - 2, kept.Count);
        return Encoding.UTF8.GetBytes(string.Join('\n', kept));
    }

    private static PersonalIdentityNumber Parse(string number) =>
        PersonalIdentityNumber.TryParse(number, new DateOnly(2026, 12, 6), out var parsed, out _, out _) ? parsed : throw new ArgumentException(number);

    private static async Task<List<string>> NamesAsync(IBlobStore store, string container) =>
        await store.ListAsync(container).Select(b => b.Name).ToListAsync();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
