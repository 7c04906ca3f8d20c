using Finsam.Bench;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>
/// Every model's grain, as its header states it, checked and not only written: one generic uniqueness query a model (dbt's
/// <c>unique</c> test), on the samples and on the benchmark's national data at its smallest scale (80 federations, ten
/// years); and the SQL kept to lines of at most 120 characters.
/// </summary>
public class GrainTests(GrainTests.SamplesBuild samples, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<GrainTests.SamplesBuild>
{
    public sealed class SamplesBuild : IAsyncLifetime
    {
        private readonly TempFolder _folder = new();
        public ModelBuild Build { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
            await Samples.IngestAllAsync(store);
            Build = await ModelBuild.RunAsync(store, new ModelOptions(RepoPaths.Queries, Path.Combine(_folder.Path, "work")) { Threads = 2 });
        }

        public Task DisposeAsync()
        {
            Build?.Dispose();
            _folder.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Every_model_states_its_grain_in_columns_it_has()
    {
        var project = samples.Build.Project;

        foreach (var (model, columns) in ModelGrain.Of(project.Models))
        {
            Assert.True(columns is not null, $"{model.RelativePath} states no grain as 'Grain: … (column, column).'");
            var has = samples.Build.Session.Query($"select column_name from (describe {model.Name})").Rows.Select(r => (string)r[0]!).ToHashSet();
            Assert.All(columns!, c => Assert.True(has.Contains(c), $"{model.Name}: the grain's column {c} is not a column of the model"));
        }
    }

    [Fact]
    public void Every_model_is_unique_on_its_grain_on_the_samples()
    {
        Assert.Empty(ModelGrain.Violations(samples.Build.Session, samples.Build.Project.Models));
    }

    [Fact]
    public void A_duplicated_row_breaks_the_grain_and_the_check_names_the_model_and_the_key()
    {
        // A copy of one row of a built model, made on purpose in a session of its own (the shared build stays as it was).
        using var folder = new TempFolder();
        using var copy = new DuckDbSession(new ModelOptions(RepoPaths.Queries, folder.Path) { Threads = 1 });
        var file = Path.Combine(folder.Path, "int_finance_year.parquet");
        samples.Build.Session.Execute($"copy (select * from int_finance_year) to '{DuckDbSession.Quote(file)}' (format parquet)");
        copy.Execute($"create table int_finance_year as select * from read_parquet('{DuckDbSession.Quote(file)}')");
        copy.Execute("insert into int_finance_year select * from int_finance_year where federation_id = 'aspdalen'");
        var model = samples.Build.Project.Models.Single(m => m.Name == "int_finance_year");

        var violations = ModelGrain.Violations(copy, [model]);

        Assert.Equal(["int_finance_year: 1 key(s) of (federation_id, year) with more than one row, e.g. (aspdalen, 2025) × 2"], violations);
    }

    [Fact]
    public async Task Every_model_is_unique_on_its_grain_on_the_national_data()
    {
        using var folder = new TempFolder();
        var storage = Path.Combine(folder.Path, "storage");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        NationalData.Generate(storage, scale: 1);
        var generated = clock.Elapsed;
        using var build = await ModelBuild.RunAsync(new LocalFolderBlobStore(storage), new ModelOptions(RepoPaths.Queries, Path.Combine(folder.Path, "work")));
        var built = clock.Elapsed;

        Assert.Empty(build.AssertionFailures);
        Assert.Empty(ModelGrain.Violations(build.Session, build.Project.Models));
        output.WriteLine($"Generated in {generated.TotalSeconds:F0} s, built in {(built - generated).TotalSeconds:F0} s, grains checked in {(clock.Elapsed - built).TotalSeconds:F0} s.");
    }

    [Fact]
    public void Every_line_of_the_sql_is_at_most_120_characters()
    {
        var longLines = Directory.EnumerateFiles(RepoPaths.Queries, "*.sql", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (File: Path.GetRelativePath(RepoPaths.Queries, file), Line: i + 1, line.Length)))
            .Where(l => l.Length > 120).Select(l => $"{l.File}:{l.Line} ({l.Length})").ToList();

        Assert.Empty(longLines);
    }
}
