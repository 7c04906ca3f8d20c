using System.Text;
using DuckDB.NET.Data;
using Finsam.Cli;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Spectre.Console.Testing;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>`finsam publish`, `versions`, `pull` and `diff` on the demo data, as a controller and a member use them.</summary>
public class PublishCliTests
{
    private static readonly Dictionary<string, string> Env = new() { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exit = await CliApp.RunAsync(args, console, TestConfiguration.From(Env), new StringReader(""));
        return (exit, console.Output);
    }

    [Fact]
    public async Task Publish_then_list_pull_and_diff_versions()
    {
        using var folder = new TempFolder();
        string[] Storage(params string[] args) => [.. args, "--storage", folder.Path];
        string[] Work(params string[] args) => [.. Storage(args), "--work", Path.Combine(folder.Path, ".work")];
        await RunAsync(Storage("demo"));

        // publish follows every change for the controller; members get files only when a release is cut.
        var (exit, output) = await RunAsync(Work("publish"));
        Assert.Equal(0, exit);
        Assert.Contains("curated: published v1 (first version: 29 input file(s))", output);
        Assert.DoesNotContain("kpi:", output);
        (exit, output) = await RunAsync(Work("release"));
        Assert.Equal(0, exit);
        Assert.Contains("kpi: published v1 (first version: 29 input file(s))", output);
        // The protection says what it is doing, step by step (the samples' 143 counts from 1 to 4 first).
        Assert.Contains("protection: 143 count(s) hidden for themselves (from 1 to 4, a change of 1 to 4, hidden before, or of a year not complete); " +
                        "choosing the counts that protect them", output);
        Assert.Contains("protection: trying to publish again 179 row(s) hidden to protect others, the costliest to members first", output);
        Assert.Contains("auditing the member table as members will read it, with 0 earlier release(s)", output);
        Assert.DoesNotContain("curated:", output);

        (exit, output) = await RunAsync(Work("publish"));
        Assert.Equal(0, exit);
        Assert.Contains("curated: unchanged, latest is v1", output);
        // Nothing new: the run ends before building anything.
        Assert.DoesNotContain("built ", output);
        (exit, output) = await RunAsync(Work("release"));
        Assert.Equal(0, exit);
        Assert.Contains("kpi: unchanged, latest is v1", output);

        // Ekstrand re-exports February with a changed rent; it is ingested and published for the controller at once,
        // and reaches members with the next release.
        var name = "ekstrand/2025-02/ekstrand-huvudbok-2025-02.csv";
        var text = Encoding.UTF8.GetString(Samples.File(name)).Replace("6110;18000,00", "6110;19000,00").Replace("1930;-18000,00", "1930;-19000,00");
        await new LocalFolderBlobStore(folder.Path).WriteAsync(Containers.Landing, name, Encoding.UTF8.GetBytes(text), WriteCondition.Overwrite);
        Assert.Equal(0, (await RunAsync(Storage("ingest"))).Exit);
        (exit, output) = await RunAsync(Work("publish", "--keep-last", "5"));
        Assert.Equal(0, exit);
        Assert.Contains("curated: published v2 (1 replaced (ekstrand/2025-02/ledger))", output);
        Assert.Contains("│ v1 (latest) │", (await RunAsync(Storage("versions", "kpi"))).Output);
        (exit, output) = await RunAsync(Work("release", "--keep-last", "5"));
        Assert.Equal(0, exit);
        Assert.Contains("kpi: published v2 (1 replaced (ekstrand/2025-02/ledger))", output);

        (exit, output) = await RunAsync(Storage("versions", "kpi"));
        Assert.Equal(0, exit);
        Assert.Matches(@"│ v2 \(latest\) │ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+│ v1\s+│ 29\s+│ 0 fel, 1 varningar │ 1 replaced \(ekstrand/2025-02/ledger\)", output);
        Assert.Matches(@"│ v1\s+│ .* │ –\s+│ 29\s+│ .* │ first version: 29 input file\(s\)", output);

        (exit, output) = await RunAsync(Work("diff", "v1", "v2"));
        Assert.Equal(0, exit);
        Assert.Contains("kpi v1 → v2:", output);
        Assert.Matches(@"│ kostnad_total\s+│ forbund\s+│ ekstrand\s+│ 2025\s+│ T\s+│\s+│ 1074967\.7 prel\.\s+│ 1075967\.7 prel\.\s+│ changed", output);
        Assert.DoesNotContain("│ medelstilldelning ", output);

        // The controller drops granmo's administration accounts from the mapping: v3 withholds granmo's finance, and the diff says so.
        var mapping = Path.Combine(folder.Path, "reference", "account_mapping.csv");
        File.WriteAllText(mapping, File.ReadAllText(mapping).Replace("*;6000;7999;;administration;",
            string.Join('\n', new[] { "aspdalen", "bjorkvik", "ekstrand" }.Select(f => $"{f};6000;7999;;administration;"))));
        (exit, output) = await RunAsync(Work("release"));
        Assert.Equal(0, exit);
        Assert.Contains("kpi: published v3", output);
        (exit, output) = await RunAsync(Work("diff", "v2", "v3"));
        Assert.Equal(0, exit);
        Assert.Matches(@"│ medelstilldelning\s+│ forbund\s+│ granmo\s+│ 2025\s+│ T\s+│\s+│ 720000 prel\.\s+│ brist\s+│ changed", output);
        // The county's finance covers the other three: 4 320 000 − 720 000, flagged.
        Assert.Matches(@"│ medelstilldelning\s+│ lan\s+│ Exempellän\s+│ 2025\s+│ T\s+│\s+│ 4320000 prel\.\s+│ 3600000 \(b\)\s+│ changed", output);
        // Participants are not finance: no participant count changes value. (Which cells are suppressed may change, since
        // the withheld finance no longer hides what it hid: a value can become "..", never another number.)
        Assert.DoesNotMatch(@"│ deltagare_unika .*│ \d+ prel\.\s+│ \d+ ", output);
        Assert.DoesNotMatch(@"│ deltagare_unika .*│ \.\.\s+│ \d+ ", output);

        var members = Path.Combine(folder.Path, "pulled-kpi");
        (exit, output) = await RunAsync(Storage("pull", "--dataset", "kpi", "--version", "latest", "--to", members));
        Assert.Equal(0, exit);
        Assert.Contains("Pulled kpi v3 (14 files)", output);
        Assert.True(File.Exists(Path.Combine(members, "rapport.html")));
        Assert.True(File.Exists(Path.Combine(members, "manifest.json")));

        // The controller opens an older version in DuckDB: views over the Parquet files beside the database file.
        var controller = Path.Combine(folder.Path, "pulled-curated");
        (exit, output) = await RunAsync(Storage("pull", "--dataset", "curated", "--version", "1", "--to", controller));
        Assert.Equal(0, exit);
        Assert.Contains("duckdb finsam.duckdb", output);
        using var db = new DuckDBConnection($"DataSource={Path.Combine(controller, "finsam.duckdb")};ACCESS_MODE=READ_ONLY");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"""
            set file_search_path = '{controller}';
            select (select value from kpi where kpi_id = 'kostnad_total' and scope_id = 'ekstrand' and period = '2025'),
                   (select count(*) from ledger), (select count(*) from registrations where person_pseudonym is not null), (select count(*) from ref_federations)
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1074967.70m, reader.GetDecimal(0));
        Assert.True(reader.GetInt64(1) > 100);
        Assert.True(reader.GetInt64(2) > 50);
        Assert.Equal(4L, reader.GetInt64(3));

        (exit, output) = await RunAsync(Storage("pull", "--version", "9", "--to", Path.Combine(folder.Path, "x")));
        Assert.Equal(2, exit);
        Assert.Contains("Version 9 of 'kpi' does not exist", output);
    }
}
