using Finsam.Cli;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Finsam.Pipeline.Tests.Cli;

public class CliTests
{
    private static async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string>? env, params string[] args) =>
        await RunWithInputAsync(env, "", args);

    private static async Task<(int Exit, string Output)> RunWithInputAsync(Dictionary<string, string>? env, string input, params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exit = await CliApp.RunAsync(args, console, TestConfiguration.From(env), new StringReader(input));
        return (exit, console.Output);
    }

    [Fact]
    public async Task Validate_a_valid_file_exits_0()
    {
        var file = Path.Combine(RepoPaths.Samples, "landing", "aspdalen", "2025-02", "aspdalen_huvudbok_202502.se");

        var (exit, output) = await RunAsync(null, "validate", file, "--federation", "aspdalen", "--period", "2025-02", "--org-nr", "222000-0018");

        Assert.Equal(0, exit);
        Assert.Contains("Giltig / Valid: aspdalen_huvudbok_202502.se (SieLedger, 19 rows, 0 warning(s)).", output);
    }

    [Fact]
    public async Task Validate_a_volume_export_checks_its_interventions_against_insatser_csv()
    {
        var file = Path.Combine(RepoPaths.Samples, "landing", "ekstrand", "2025-02", "ekstrand-volym-2025-02.csv");
        var insatser = Path.Combine(RepoPaths.Samples, "reference", "insatser.csv");

        var (exit, output) = await RunAsync(null, "validate", file, "--federation", "ekstrand", "--period", "2025-02", "--insatser", insatser);
        // ekstrand's interventions are not bjorkvik's: a warning per intervention, and the file is still valid.
        var (otherExit, other) = await RunAsync(null, "validate", file, "--federation", "bjorkvik", "--period", "2025-02", "--insatser", insatser);
        var (uncheckedExit, uncheckedOutput) = await RunAsync(null, "validate", file, "--federation", "ekstrand", "--period", "2025-02");

        Assert.Equal((0, 0, 0), (exit, otherExit, uncheckedExit));
        Assert.Contains("Giltig / Valid: ekstrand-volym-2025-02.csv (Volumes, 4 rows, 0 warning(s)).", output);
        Assert.Contains("(Volumes, 4 rows, 2 warning(s))", other);
        Assert.Contains("warning insats_unknown: line 2, column insats_id: The intervention is not in reference/insatser.csv for the federation", other);
        Assert.Contains("the interventions were not checked against insatser.csv (give --insatser)", uncheckedOutput);
    }

    [Fact]
    public async Task Validate_an_invalid_file_exits_1_with_the_report()
    {
        var file = Path.Combine(RepoPaths.Samples, "landing", "aspdalen", "2025-02", "aspdalen_huvudbok_202502.se");

        var (exit, output) = await RunAsync(null, "validate", file, "--federation", "aspdalen", "--period", "2025-03");

        Assert.Equal(1, exit);
        Assert.Contains("Filen avvisades / The file was rejected: aspdalen_huvudbok_202502.se", output);
        Assert.Contains("outside the landing month 2025-03", output);
    }

    [Fact]
    public async Task Validate_takes_the_line_and_field_limits_from_the_settings()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "konton.se");
        await File.WriteAllBytesAsync(file, Support.Sie.File($"#KONTO 6110 \"{new string('k', 300)}\"\n#VER A 1 20250115 \"x\" 20250115\n{{\n   #TRANS 6110 {{}} 1.00\n   #TRANS 1930 {{}} -1.00\n}}"));
        var limits = new Dictionary<string, string> { ["Finsam:Limits:MaxLineLength"] = "256", ["Finsam:Limits:MaxFieldLength"] = "200" };

        var (exit, output) = await RunAsync(limits, "validate", file, "--federation", "aspdalen", "--period", "2025-01");

        Assert.True(exit == 1, output);
        Assert.Contains("[error] rad/line 9 – värde/value '#KONTO 6110 \"kkkkkkkkkkkkkkkkkkkkkkkkkkk…'", output);
        Assert.Contains("The line is 314 characters long; the longest line accepted is 256 characters.", output);
        Assert.Equal(0, (await RunAsync(null, "validate", file, "--federation", "aspdalen", "--period", "2025-01")).Exit);
    }

    [Theory]
    [InlineData("validate", "x.se", "--federation", "a")]
    [InlineData("validate", "x.se", "--federation", "a", "--period", "2025-13")]
    [InlineData("validate", "does-not-exist.se", "--federation", "a", "--period", "2025-01")]
    [InlineData("no-such-command")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        Assert.Equal(2, (await RunAsync(null, args)).Exit);
    }

    [Fact]
    public async Task Ingest_refuses_to_run_without_a_pseudonymisation_key()
    {
        using var folder = new TempFolder();

        var (exit, output) = await RunAsync(null, "ingest", "--storage", folder.Path);

        Assert.Equal(2, exit);
        Assert.Contains("No pseudonymisation key is configured.", output);
    }

    [Fact]
    public async Task Demo_then_ingest_copies_the_samples_ingests_them_and_finds_nothing_new()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };

        var (demoExit, demoOutput) = await RunAsync(env, "demo", "--storage", folder.Path);
        var (ingestExit, ingestOutput) = await RunAsync(env, "ingest", "--storage", folder.Path);

        Assert.Equal(0, demoExit);
        Assert.Contains("[29/29] accepted", demoOutput);
        Assert.Contains("29 file(s) processed in local folder", demoOutput);
        Assert.Contains(": 29 accepted, 0 rejected, 0 unchanged.", demoOutput);
        Assert.Equal(0, ingestExit);
        Assert.Contains("0 file(s) processed", ingestOutput);
        Assert.Equal(41, new LocalFolderBlobStore(folder.Path).ListAsync(Containers.Curated).ToBlockingEnumerable().Count(b => b.Name.EndsWith("/data.parquet")));
    }

    [Fact]
    public async Task Demo_without_a_key_makes_a_demo_key_beside_the_data()
    {
        using var folder = new TempFolder();

        var (exit, output) = await RunAsync(null, "demo", "--storage", folder.Path);

        Assert.Equal(0, exit);
        Assert.Contains("using a demo key in", output);
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(Path.Combine(folder.Path, ".demo-pseudonym-key"))).Length);
    }

    [Fact]
    public async Task A_release_of_complete_years_only_says_how_many_rows_wait_for_their_year()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64, ["Finsam:Publishing:ParticipantYears"] = "CompleteYears" };
        await RunAsync(env, "demo", "--storage", folder.Path);

        var (exit, output) = await RunAsync(env, "release", "--storage", folder.Path, "--work", Path.Combine(folder.Path, ".work"));

        // The samples run January to March 2025: every row that shows a participant count of 2025 waits for December.
        Assert.Equal(0, exit);
        Assert.Contains("disclosure audit: passed, 468 suppressed cell(s)", output);
        Assert.Contains("496 row(s) of participant counts are withheld until their year is complete (the release publishes complete years only)", output);
        Assert.Contains("kpi: published v1", output);
    }

    [Fact]
    public async Task Build_prints_the_kpi_table_and_findings_and_writes_the_outputs()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };
        await RunAsync(env, "demo", "--storage", folder.Path);

        var (exit, output) = await RunAsync(env, "build", "--storage", folder.Path, "--work", Path.Combine(folder.Path, ".work"));

        Assert.Equal(0, exit);
        Assert.Contains("Nyckeltal / KPIs (year to date)", output);
        Assert.Matches(@"│ aspdalen\s+│ 2025 \(2025-03, prel\.\)\s+│\s+1 200 000 kr │", output);
        Assert.Contains("prel. = preliminär: året är inte komplett / the year is not complete.", output);
        Assert.Contains("│ Exempellän ", output);
        Assert.Contains("equity_above_recommendation:granmo:2025", output);
        Assert.Contains("Ingående eget kapital 2025 är 22,5 % av den budgeterade medelstilldelningen 2025", output);
        Assert.Contains("wrote curated/models/kpi.parquet, curated/models/kpi_catalog.parquet, curated/models/quality.parquet, curated/models/places.parquet.", output);
        var kpiFile = Path.Combine(folder.Path, "curated", "models", "kpi.parquet");
        var rows = DuckDb.Query($"select count(*), count(distinct kpi_id) from read_parquet('{kpiFile}')").Single();
        Assert.True((long)rows[0]! > 500);
        Assert.Equal(46L, (long)rows[1]!);
    }

    [Fact]
    public async Task Build_marks_the_values_a_data_quality_error_affects_and_withholds()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };
        await RunAsync(env, "demo", "--storage", folder.Path);
        // Administration accounts mapped for every federation but granmo: granmo's 6000–7999 rows are unmapped.
        var mapping = Path.Combine(folder.Path, "reference", "account_mapping.csv");
        File.WriteAllText(mapping, File.ReadAllText(mapping).Replace("*;6000;7999;;administration;",
            string.Join('\n', new[] { "aspdalen", "bjorkvik", "ekstrand" }.Select(f => $"{f};6000;7999;;administration;"))));

        var (exit, output) = await RunAsync(env, "build", "--storage", folder.Path, "--work", Path.Combine(folder.Path, ".work"));

        Assert.Equal(0, exit);
        // Granmo's finance is withheld, its participants are not; the county's finance covers the other three and is flagged.
        Assert.Matches(@"│ granmo\s+│ 2025 \(2025-03, prel\.\)\s+│\s+brist │\s+brist │(\s+brist │){3}\s+14 │", output);
        // The county's row says how many federations its values cover: the finance three, the participants four.
        Assert.Matches(@"│ Exempellän\s+│ 2025 \(2025-03, prel\., 3–4 förb\.\) │\s+3 600 000 kr \(b\) │", output);
        Assert.Contains("(b) = brist", output);
        Assert.Matches(@"│ error\s+│ unmapped_account:granmo:2025:\d+", output);
    }

    [Fact]
    public async Task Build_marks_a_value_that_does_not_exist_apart_from_one_an_error_withholds()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };
        await RunAsync(env, "demo", "--storage", folder.Path);
        // Granmo's February participant export goes missing: its participant figures are flagged, nothing is withheld.
        Directory.Delete(Path.Combine(folder.Path, "curated", "registrations", "federation=granmo", "period=2025-02"), recursive: true);

        var (exit, output) = await RunAsync(env, "build", "--storage", folder.Path, "--work", Path.Combine(folder.Path, ".work"));

        Assert.Equal(0, exit);
        // Nobody ended, so the share to work or studies does not exist ("–"), flagged "(b)"; before, it read "brist" (withheld).
        Assert.Matches(@"│ granmo\s+│ 2025 \(2025-03, prel\.\)\s+│\s+720 000 kr │.*│\s+0 \(b\) │\s+– \(b\) │\s+31 849 kr \(b\) │", output);
    }

    [Fact]
    public async Task Build_out_of_memory_says_which_setting_to_raise()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };
        await RunAsync(env, "demo", "--storage", folder.Path);

        var (exit, output) = await RunAsync(env, "build", "--storage", folder.Path, "--work", Path.Combine(folder.Path, ".work"), "--memory-limit", "2MB");

        Assert.Equal(2, exit);
        Assert.Contains("Out of Memory Error", output);
        Assert.Contains("DuckDB's memory limit (2MB) is too small for this much data: run again with a higher --memory-limit", output);
    }

    [Fact]
    public async Task Sql_runs_one_query_or_an_interactive_session()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64 };
        await RunAsync(env, "demo", "--storage", folder.Path);
        var work = Path.Combine(folder.Path, ".work");

        var (exit, output) = await RunAsync(env, "sql", "select count(*) as transactions from stg_ledger where federation_id = 'granmo'", "--storage", folder.Path, "--work", work);
        var (interactiveExit, interactive) = await RunWithInputAsync(env, "select value\nfrom kpi where kpi_id = 'medelstilldelning' and scope_id = 'bjorkvik';\nselect nonsense;\n.quit\n",
            "sql", "--storage", folder.Path, "--work", work);

        Assert.Equal(0, exit);
        Assert.Matches(@"│ 58\s+│", output);
        Assert.Equal(0, interactiveExit);
        Assert.Matches(@"│ 960000(\.0+)?\s+│", interactive);
        Assert.Contains("nonsense", interactive);
    }
}
