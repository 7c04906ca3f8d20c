using Finsam.Cli;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Finsam.Pipeline.Tests.Cli;

public class CliTests
{
    private static async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string>? env, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var exit = await CliApp.RunAsync(args, console, name => env?.GetValueOrDefault(name));
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
    public async Task Validate_an_invalid_file_exits_1_with_the_report()
    {
        var file = Path.Combine(RepoPaths.Samples, "landing", "aspdalen", "2025-02", "aspdalen_huvudbok_202502.se");

        var (exit, output) = await RunAsync(null, "validate", file, "--federation", "aspdalen", "--period", "2025-03");

        Assert.Equal(1, exit);
        Assert.Contains("Filen avvisades / The file was rejected: aspdalen_huvudbok_202502.se", output);
        Assert.Contains("outside the landing month 2025-03", output);
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
        Assert.Contains("[24/24] accepted", demoOutput);
        Assert.Contains("24 file(s) processed in local folder", demoOutput);
        Assert.Contains(": 24 accepted, 0 rejected, 0 unchanged.", demoOutput);
        Assert.Equal(0, ingestExit);
        Assert.Contains("0 file(s) processed", ingestOutput);
        Assert.Equal(36, new LocalFolderBlobStore(folder.Path).ListAsync(Containers.Curated).ToBlockingEnumerable().Count(b => b.Name.EndsWith("/data.parquet")));
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
}
