using System.Globalization;
using System.Text;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>
/// A build that computes the models built per federation only for the federations whose data changed gives what a full
/// build of the same inputs gives: the KPI table byte for byte, and every model's rows. One work folder is built again
/// after each of a series of drops on the county's data (a new month of one federation, the rest of the year, a corrected
/// month, three reference changes, one of them the counties' file a macro reads, a federation whose curated data is gone, a
/// damaged database); after each, a fresh work folder is built in full from the SQL without its '-- Built per federation'
/// lines. And every model built per federation gives a federation's rows from that federation's data alone.
/// </summary>
public sealed class IncrementalBuildTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();
    private int _fullBuilds;
    /// <summary>The SQL project the builds of <see cref="BuildAndCompareAsync"/> run: the repository's, or a changed copy.</summary>
    private string _queries = RepoPaths.Queries;

    [Fact]
    public async Task Builds_after_drops_redrops_and_reference_changes_equal_a_full_build_of_the_same_inputs()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        var files = CountyData.Files();
        var landing = files.Where(f => f.Container == Containers.Landing).ToDictionary(f => f.Name, f => f.Text);
        foreach (var (container, name, text) in files.Where(f => f.Container == Containers.Reference)) await WriteAsync(store, container, name, text);

        // Months 1–10 of every federation: the first build computes all five (one year each).
        await DropAsync(store, landing.Where(f => CountyData.Month(f.Key) <= 10));
        Assert.Equal("5 federation(s) computed (5 federation-year(s)), 0 kept from the last build (0 federation-year(s)). " +
                     "Models built per year: 1 year(s) computed (2025), 0 kept from the last build.", await BuildAndCompareAsync(store));

        // Norräng delivers November: only Norräng is computed again.
        await DropAsync(store, landing.Where(f => f.Key.StartsWith("norrang/2025-11/", StringComparison.Ordinal)));
        Assert.Equal("1 federation(s) computed (1 federation-year(s)), 4 kept from the last build (4 federation-year(s)). " +
                     "Models built per year: 1 year(s) computed (2025), 0 kept from the last build.", await BuildAndCompareAsync(store));

        // Nothing changed: nothing is computed.
        Assert.Equal("0 federation(s) computed (0 federation-year(s)), 5 kept from the last build (5 federation-year(s)). " +
                     "Models built per year: 0 year(s) computed, 1 kept from the last build.", await BuildAndCompareAsync(store));

        // The rest of the year.
        await DropAsync(store, landing.Where(f => CountyData.Month(f.Key) >= 11 && !f.Key.StartsWith("norrang/2025-11/", StringComparison.Ordinal)));
        Assert.Equal("5 federation(s) computed (5 federation-year(s)), 0 kept from the last build (0 federation-year(s)). " +
                     "Models built per year: 1 year(s) computed (2025), 0 kept from the last build.", await BuildAndCompareAsync(store));

        // Norräng's participants of January 2026, those still in an intervention after December: Norräng is computed again, and of the
        // models built per year only 2026, as Norräng's rows of 2025 are what they were.
        const string december = "norrang/2025-12/deltagare.csv";
        var january = string.Join('\n', landing[december].Split('\n').Where((l, i) => i == 0 || l.Split(';') is { Length: > 10 } c && c[10].Length == 0)) + "\n";
        await DropAsync(store, [new("norrang/2026-01/deltagare.csv", january)]);
        Assert.Equal("1 federation(s) computed (2 federation-year(s)), 4 kept from the last build (4 federation-year(s)). " +
                     "Models built per year: 1 year(s) computed (2026), 1 kept from the last build.", await BuildAndCompareAsync(store));

        // Norräng corrects October: a registration that ended in October is ongoing in it, and so, with no end, in 2026 too: both years
        // are computed again.
        const string october = "norrang/2025-10/deltagare.csv";
        var line = landing[october].Split('\n').First(l => l.Split(';') is { Length: > 10 } c && c[10].StartsWith("2025-10-", StringComparison.Ordinal));
        var cells = line.Split(';');
        var ongoing = string.Join(';', cells.Take(10).Append("").Append(cells[11]).Append(cells[12]).Append("").Append(""));
        await DropAsync(store, [new(october, landing[october].Replace(line, ongoing))]);
        Assert.Equal("1 federation(s) computed (2 federation-year(s)), 4 kept from the last build (4 federation-year(s)). " +
                     "Models built per year: 2 year(s) computed (2025, 2026), 0 kept from the last build.", await BuildAndCompareAsync(store));

        // Population is read only by models over every federation: nothing per federation is computed, the coverage changes.
        var population = files.Single(f => f.Name == "population.csv").Text;
        await WriteAsync(store, Containers.Reference, "population.csv", population.Replace(";2025;", ";2025;1", StringComparison.Ordinal));
        Assert.Equal("0 federation(s) computed (0 federation-year(s)), 5 kept from the last build (6 federation-year(s)). " +
                     "Models built per year: 0 year(s) computed, 2 kept from the last build.", await BuildAndCompareAsync(store));

        // The account mapping is read per federation: every federation is computed again. The registrations are what they were, but
        // an account no rule maps withholds 2025's finance figures, which dim_scope_members (read by the models built per year) says:
        // 2025 is computed again, 2026 kept.
        var mapping = files.Single(f => f.Name == "account_mapping.csv").Text;
        await WriteAsync(store, Containers.Reference, "account_mapping.csv", string.Join('\n', mapping.Split('\n').Where((l, i) => i != 1)));
        Assert.Equal("5 federation(s) computed (6 federation-year(s)), 0 kept from the last build (0 federation-year(s)). " +
                     "Models built per year: 1 year(s) computed (2025), 1 kept from the last build.", await BuildAndCompareAsync(store));

        // The counties' file (lan.csv, read by the macro lan_region_id and by stg_federations) names Örebro län otherwise: Lindby and
        // Norräng, which write the county by its code, are in it under the new name; Mossa and Oxhalla, which write its old name, are
        // counties of their own. Every federation and every year is computed again (the project is a copy: its place is in no signature).
        _queries = CopyQueries("queries-lan", keep: _ => true);
        var lan = Path.Combine(_queries, "lan.csv");
        var counties = await File.ReadAllLinesAsync(lan);
        counties[Array.IndexOf(counties, "18;0018;Örebro län")] = "18;0018;Region Örebro län";
        await File.WriteAllLinesAsync(lan, counties);
        Assert.Equal("5 federation(s) computed (6 federation-year(s)), 0 kept from the last build (0 federation-year(s)). " +
                     "Models built per year: 2 year(s) computed (2025, 2026), 0 kept from the last build.", await BuildAndCompareAsync(store));
        using (var renamed = await ModelBuild.RunAsync(store, new ModelOptions(_queries, Path.Combine(_folder.Path, "work")) { Threads = 2 }))
            Assert.Equal(["0018 Region Örebro län", "0019 Västmanlands län", "ÖREBRO LÄN ÖREBRO LÄN", "Örebro län Örebro län"],
                renamed.Session.Query("select distinct scope_id || ' ' || scope_namn from kpi where scope = 'lan' order by 1").Rows.Select(r => (string)r[0]!));

        // Sydvik's curated data is gone: its rows go with it.
        await foreach (var blob in store.ListAsync(Containers.Curated, ""))
            if (blob.Name.Contains("federation=sydvik/", StringComparison.Ordinal)) await store.DeleteAsync(Containers.Curated, blob.Name);
        Assert.Equal("0 federation(s) computed (0 federation-year(s)), 4 kept from the last build (5 federation-year(s)), 1 removed (no curated data any more). " +
                     "Models built per year: 1 year(s) computed (2025), 1 kept from the last build.", await BuildAndCompareAsync(store));

        // Norräng's January 2026 is gone: Norräng is computed again, and 2026 goes from the models built per year without being computed.
        await store.DeleteAsync(Containers.Curated, (await ListAsync(store, "registrations/federation=norrang/period=2026-01/")).Single());
        Assert.Equal("1 federation(s) computed (1 federation-year(s)), 3 kept from the last build (3 federation-year(s)). " +
                     "Models built per year: 0 year(s) computed, 1 kept from the last build.", await BuildAndCompareAsync(store));

        // The kept rows are damaged: every federation and every year is computed again.
        await File.WriteAllTextAsync(Path.Combine(_folder.Path, "work", "by-federation", "models.duckdb"), "not a database");
        Assert.Equal("4 federation(s) computed (4 federation-year(s)), 0 kept from the last build (0 federation-year(s)). " +
                     "Models built per year: 1 year(s) computed (2025), 0 kept from the last build.", await BuildAndCompareAsync(store));
    }

    [Fact]
    public async Task Every_model_built_per_federation_gives_a_federations_rows_from_its_data_alone()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        await CountyData.WriteAsync(store);
        await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        using var all = await ModelBuild.RunAsync(store, new ModelOptions(QueriesBuiltWhole(), Path.Combine(_folder.Path, "work-all")) { Threads = 2 });
        var perFederation = ModelProject.Load(RepoPaths.Queries).Models.Where(m => m.PerFederation).ToList();
        Assert.Equal(28, perFederation.Count);

        foreach (var federation in CountyData.Federations.Select(f => f.Id))
        {
            // A store with this federation's curated data alone, and the same reference files.
            var alone = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage-" + federation));
            await foreach (var blob in store.ListAsync(Containers.Reference, ""))
                await alone.WriteAsync(Containers.Reference, blob.Name, (await store.ReadAsync(Containers.Reference, blob.Name)).Bytes, WriteCondition.Overwrite);
            await foreach (var blob in store.ListAsync(Containers.Curated, ""))
                if (blob.Name.Contains($"/federation={federation}/", StringComparison.Ordinal) && !blob.Name.StartsWith(CuratedCache.StoredPrefix, StringComparison.Ordinal))
                    await alone.WriteAsync(Containers.Curated, blob.Name, (await store.ReadAsync(Containers.Curated, blob.Name)).Bytes, WriteCondition.Overwrite);
            using var one = await ModelBuild.RunAsync(alone, new ModelOptions(QueriesBuiltWhole(), Path.Combine(_folder.Path, "work-" + federation)) { Threads = 2 });

            foreach (var model in perFederation)
                Assert.True(Rows(all, $"(select * from {model.Name} where federation_id = '{federation}')") == Rows(one, model.Name),
                    $"{model.RelativePath}: {federation}'s rows computed over every federation's data differ from those computed over its own.");
        }
    }

    [Fact]
    public async Task A_model_built_per_federation_that_gives_another_federations_rows_is_refused()
    {
        var (store, _, options) = await SamplesAsync(("staging/stg_elsewhere.sql",
            "-- Built per federation: a federation's rows come from its own data alone.\nselect 'granmo' as federation_id, period from src_ledger"));
        using (await ModelBuild.RunAsync(store, options)) { }
        // Åspdalen's data changes (its March volumes are gone): the second build computes Åspdalen alone.
        await foreach (var blob in store.ListAsync(Containers.Curated, "volumes/federation=aspdalen/period=2025-03/"))
            await store.DeleteAsync(Containers.Curated, blob.Name);

        var e = await Assert.ThrowsAsync<ModelException>(() => ModelBuild.RunAsync(store, options));

        Assert.Equal("staging/stg_elsewhere.sql is built per federation, but, computed over the data of aspdalen, it gave a row of federation 'granmo': " +
                     "a federation's rows must come from its own data.", e.Message);

        // Nothing of the refused build was kept: the next build computes Åspdalen alone again, and is refused the same way.
        var again = await Assert.ThrowsAsync<ModelException>(() => ModelBuild.RunAsync(store, options));
        Assert.Equal(e.Message, again.Message);
    }

    [Fact]
    public void Years_are_computed_together_in_order_up_to_a_batch_of_rows_and_a_larger_year_alone()
    {
        var rows = new Dictionary<long, long> { [2016] = 400_000, [2017] = 400_000, [2018] = 300_000, [2019] = 1_200_000, [2020] = 10, [2021] = 20 };

        var batches = YearModels.Batches([2016, 2017, 2018, 2019, 2020, 2021], rows);

        Assert.Equal(YearModels.BatchRows, 1_000_000);
        Assert.Equal(["2016 2017", "2018", "2019", "2020 2021"], batches.Select(b => string.Join(' ', b)));
        Assert.Equal(["2025"], YearModels.Batches([2025], new Dictionary<long, long>()).Select(b => string.Join(' ', b)));
    }

    [Fact]
    public async Task A_model_built_per_year_that_gives_another_years_rows_or_reads_a_model_without_years_is_refused()
    {
        var (store, queries, options) = await SamplesAsync();
        const string perYear = "-- Mart: (a test's) registrations per year.\n-- Built per year: a year's rows come from that year's rows of the models it reads.\n";
        var mart = Path.Combine(queries, "marts", "fct_test_years.sql");

        await File.WriteAllTextAsync(mart, perYear + "select year + 1 as year, count(*) as registrations from int_registration_years group by year");
        var e = await Assert.ThrowsAsync<ModelException>(() => ModelBuild.RunAsync(store, options));
        Assert.Equal("marts/fct_test_years.sql is built per year, but, computed over the rows of 2025, it gave a row of year 2026: " +
                     "a year's rows must come from that year's rows alone.", e.Message);

        await File.WriteAllTextAsync(mart, perYear + "select r.year, count(*) as registrations from int_registration_years as r cross join stg_federations group by r.year");
        e = await Assert.ThrowsAsync<ModelException>(() => ModelBuild.RunAsync(store, options));
        Assert.Equal("marts/fct_test_years.sql is built per year, but it reads stg_federations, which has no year column of whole numbers: " +
                     "a year's rows are found by it. Remove the line '-- Built per year' from marts/fct_test_years.sql.", e.Message);

        await File.WriteAllTextAsync(Path.Combine(queries, "intermediate", "int_test_no_year.sql"),
            "select federation_id, cast(null as integer) as year from int_registration_years");
        await File.WriteAllTextAsync(mart, perYear + "select year, count(*) as registrations from int_test_no_year group by year");
        e = await Assert.ThrowsAsync<ModelException>(() => ModelBuild.RunAsync(store, options));
        Assert.Equal("marts/fct_test_years.sql is built per year, but int_test_no_year has rows without a year: they would be in no year's rows. " +
                     "Give them a year, or remove the line '-- Built per year' from marts/fct_test_years.sql.", e.Message);
        File.Delete(Path.Combine(queries, "intermediate", "int_test_no_year.sql"));

        // Right, it is built, and the next build keeps its year.
        await File.WriteAllTextAsync(mart, perYear + "select year, count(*) as registrations from int_registration_years group by year");
        static void CountsEveryRegistration(ModelBuild build) =>
            Assert.Equal(Convert.ToInt64(build.Session.Query("select count(*) from int_registration_years").Rows[0][0]),
                Convert.ToInt64(build.Session.Query("select cast(sum(registrations) as bigint) from fct_test_years").Rows[0][0]));
        using (var built = await ModelBuild.RunAsync(store, options)) CountsEveryRegistration(built);
        var reports = new List<string>();
        using (await ModelBuild.RunAsync(store, options, new SynchronousProgress<string>(reports.Add))) { }
        Assert.Contains("Models built per year: 0 year(s) computed, 1 kept from the last build.", reports);

        // Built over every year once (its kept rows and their signatures go), then per year again: every year is computed again,
        // not trusted to signatures of rows that are gone.
        await File.WriteAllTextAsync(mart, "select year, count(*) as registrations from int_registration_years group by year");
        using (await ModelBuild.RunAsync(store, options)) { }
        await File.WriteAllTextAsync(mart, perYear + "select year, count(*) as registrations from int_registration_years group by year");
        reports.Clear();
        using (var again = await ModelBuild.RunAsync(store, options, new SynchronousProgress<string>(reports.Add)))
        {
            Assert.Contains("Models built per year: 1 year(s) computed (2025), 0 kept from the last build.", reports);
            CountsEveryRegistration(again);
        }
    }

    [Fact]
    public async Task A_federation_whose_rows_failed_an_assertion_and_whose_data_is_then_gone_leaves_no_row()
    {
        var (store, _, options) = await SamplesAsync(("assertions/assert_no_granmo_march.sql",
            "-- Assertion: (a test's) Granmo has no ledger rows of March 2025.\n-- Checked per federation: it reads a model built per federation.\n" +
            "select federation_id, count(*) as rows from stg_ledger where federation_id = 'granmo' and period = '2025-03' group by federation_id"));
        var march = await ListAsync(store, "ledger/federation=granmo/period=2025-03/");
        var bytes = new List<byte[]>();
        foreach (var name in march)
        {
            bytes.Add((await store.ReadAsync(Containers.Curated, name)).Bytes);
            await store.DeleteAsync(Containers.Curated, name);
        }
        using (var passed = await ModelBuild.RunAsync(store, options)) Assert.Empty(passed.AssertionFailures);

        // Granmo's March comes back: Granmo alone is computed, fails, and is kept as unchecked.
        for (var i = 0; i < march.Count; i++) await store.WriteAsync(Containers.Curated, march[i], bytes[i], WriteCondition.Overwrite);
        using (var failed = await ModelBuild.RunAsync(store, options))
        {
            Assert.Equal("assert_no_granmo_march", Assert.Single(failed.AssertionFailures).Name);
            Assert.StartsWith("Models built per federation: 1 federation(s) computed (1 federation-year(s)), 3 kept", failed.IncrementalSummary);
        }

        // Granmo's data is gone: its rows go, though the others are kept.
        foreach (var name in await ListAsync(store, ""))
            if (name.Contains("federation=granmo/", StringComparison.Ordinal)) await store.DeleteAsync(Containers.Curated, name);
        using var gone = await ModelBuild.RunAsync(store, options);
        Assert.Empty(gone.AssertionFailures);
        Assert.StartsWith("Models built per federation: 0 federation(s) computed (0 federation-year(s)), 3 kept from the last build (3 federation-year(s)), " +
                          "1 removed (no curated data any more).", gone.IncrementalSummary);
        foreach (var table in new[] { "int_registration_years", "stg_ledger", "kept.finsam_year_hashes" })
            Assert.Equal(0L, Convert.ToInt64(gone.Session.Query($"select count(*) from {table} where federation_id = 'granmo'").Rows[0][0]));
    }

    [Fact]
    public async Task An_assertion_checked_per_federation_that_fails_is_checked_again_by_the_next_build()
    {
        var (store, queries, options) = await SamplesAsync(("assertions/assert_no_granmo.sql",
            "-- Assertion: (a test's) Granmo has no ledger rows.\n-- Checked per federation: it reads a model built per federation.\n" +
            "select federation_id, count(*) as rows from stg_ledger where federation_id = 'granmo' group by federation_id"));

        foreach (var build in new[] { "first", "second" })
        {
            var progress = new List<string>();
            using var failed = await ModelBuild.RunAsync(store, options, new SynchronousProgress<string>(progress.Add));
            // It failed on the rows of the federations this build computed: they are kept as unchecked, so that the next build
            // computes and checks them again instead of keeping rows that failed.
            var failure = Assert.Single(failed.AssertionFailures);
            Assert.Equal("assert_no_granmo", failure.Name);
            Assert.Equal("granmo", failure.Rows.Rows.Single()[0]);
            Assert.Equal("Models built per federation: 4 federation(s) computed (4 federation-year(s)), 0 kept from the last build (0 federation-year(s)).",
                Assert.Single(progress, p => p.StartsWith("Models built per federation", StringComparison.Ordinal)));
            output.WriteLine($"{build} build: {failure.Name} failed");
        }

        // Granmo's curated data is gone while its rows are unchecked: it is still known, so its rows go; the others are computed again.
        await foreach (var blob in store.ListAsync(Containers.Curated, ""))
            if (blob.Name.Contains("federation=granmo/", StringComparison.Ordinal)) await store.DeleteAsync(Containers.Curated, blob.Name);
        var afterGranmo = new List<string>();
        using (var passedWithoutGranmo = await ModelBuild.RunAsync(store, options, new SynchronousProgress<string>(afterGranmo.Add)))
        {
            Assert.Empty(passedWithoutGranmo.AssertionFailures);
            Assert.Equal(0L, Convert.ToInt64(passedWithoutGranmo.Session.Query("select count(*) from int_registration_years where federation_id = 'granmo'").Rows[0][0]));
        }
        Assert.Contains("Models built per federation: 3 federation(s) computed (3 federation-year(s)), 0 kept from the last build (0 federation-year(s)), " +
                        "1 removed (no curated data any more).", afterGranmo);

        // Without the assertion (its SQL is in every signature) every federation is computed again, and then kept.
        File.Delete(Path.Combine(queries, "assertions", "assert_no_granmo.sql"));
        using (var passed = await ModelBuild.RunAsync(store, options)) Assert.Empty(passed.AssertionFailures);
        var reports = new List<string>();
        using (await ModelBuild.RunAsync(store, options, new SynchronousProgress<string>(reports.Add))) { }
        Assert.Contains("Models built per federation: 0 federation(s) computed (0 federation-year(s)), 3 kept from the last build (3 federation-year(s)).", reports);
    }

    /// <summary>The samples ingested into a store of the test's, a copy of the SQL project with <paramref name="files"/> (paths in it) added,
    /// and options to build it in the test's work folder.</summary>
    private async Task<(LocalFolderBlobStore Store, string Queries, ModelOptions Options)> SamplesAsync(params (string Path, string Sql)[] files)
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        await Samples.IngestAllAsync(store);
        var queries = CopyQueries("queries", keep: _ => true);
        foreach (var (path, sql) in files) await File.WriteAllTextAsync(Path.Combine(queries, path), sql);
        return (store, queries, new ModelOptions(queries, Path.Combine(_folder.Path, "work")) { Threads = 2 });
    }

    private static async Task<List<string>> ListAsync(IBlobStore store, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in store.ListAsync(Containers.Curated, prefix)) names.Add(blob.Name);
        return names;
    }


    private static Task WriteAsync(IBlobStore store, string container, string name, string text) =>
        store.WriteAsync(container, name, Encoding.UTF8.GetBytes(text), WriteCondition.Overwrite);

    private static async Task DropAsync(IBlobStore store, IEnumerable<KeyValuePair<string, string>> landing)
    {
        var dropped = 0;
        foreach (var (name, text) in landing)
        {
            await WriteAsync(store, Containers.Landing, name, text);
            dropped++;
        }
        var summary = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.Equal(dropped, summary.Accepted);
    }

    /// <summary>A copy of the SQL project without the lines '-- Built per federation', '-- Built per year' and '-- Checked per federation': every model is built, and
    /// every assertion checked, over every federation's data.</summary>
    private string QueriesBuiltWhole()
    {
        var name = "queries-whole-" + Path.GetFileName(_queries);
        if (Directory.Exists(Path.Combine(_folder.Path, name))) return Path.Combine(_folder.Path, name);
        var queries = CopyQueries(name, keep: line => !line.StartsWith("-- Built per federation", StringComparison.Ordinal) &&
                                                                 !line.StartsWith("-- Built per year", StringComparison.Ordinal) &&
                                                                 !line.StartsWith("-- Checked per federation", StringComparison.Ordinal));
        var project = ModelProject.Load(queries);
        Assert.DoesNotContain(project.Models.Concat(project.Assertions), m => m.PerFederation || m.PerYear);
        return queries;
    }

    /// <summary>The SQL project (<see cref="_queries"/>) copied into the test's folder, with the lines <paramref name="keep"/> keeps.</summary>
    private string CopyQueries(string name, Func<string, bool> keep) => RepoPaths.CopyQueries(Path.Combine(_folder.Path, name), _queries, keep);

    /// <summary>
    /// Builds the incremental work folder again and a fresh one in full (every model over every federation's data); every model's rows and the KPI output's bytes must be
    /// the same. Returns what the incremental build reported computing and keeping.
    /// </summary>
    private async Task<string> BuildAndCompareAsync(IBlobStore store)
    {
        var reports = new List<string>();
        using var incremental = await ModelBuild.RunAsync(store, new ModelOptions(_queries, Path.Combine(_folder.Path, "work")) { Threads = 2 },
            new SynchronousProgress<string>(reports.Add));
        using var full = await ModelBuild.RunAsync(store, new ModelOptions(QueriesBuiltWhole(), Path.Combine(_folder.Path, $"full-{_fullBuilds++}")) { Threads = 2 });
        Assert.Empty(incremental.AssertionFailures);
        Assert.Empty(full.AssertionFailures);

        Assert.Equal(await KpiBytesAsync(full, $"full-{_fullBuilds}"), await KpiBytesAsync(incremental, $"incremental-{_fullBuilds}"));
        foreach (var model in full.Project.Models)
            Assert.True(Rows(full, model.Name) == Rows(incremental, model.Name), $"{model.RelativePath}: the incremental build's rows differ from the full build's.");

        var report = reports.Single(r => r.StartsWith("Models built per federation: ", StringComparison.Ordinal)) + " " +
                     reports.Single(r => r.StartsWith("Models built per year: ", StringComparison.Ordinal));
        Assert.Equal(report, incremental.IncrementalSummary);
        output.WriteLine(report);
        return report["Models built per federation: ".Length..];
    }

    /// <summary>The KPI table as the build saves it (<see cref="ModelBuild.SaveOutputsAsync"/>): sorted Parquet.</summary>
    private async Task<byte[]> KpiBytesAsync(ModelBuild build, string name)
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "outputs-" + name));
        await build.SaveOutputsAsync(store, Path.Combine(_folder.Path, "outputs-work-" + name));
        return (await store.ReadAsync(Containers.Curated, Finsam.Pipeline.Curated.CuratedLayout.ModelOutput(ModelProject.KpiModel))).Bytes;
    }

    private static string Rows(ModelBuild build, string model) =>
        string.Join('\n', build.Session.Query($"select * from {model} order by all").Rows.Select(r => string.Join('|', r.Select(Text))));

    private static string Text(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable list and not string => "[" + string.Join(',', list.Cast<object?>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public void Dispose() => _folder.Dispose();
}
