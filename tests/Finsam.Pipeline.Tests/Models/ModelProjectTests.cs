using Finsam.Pipeline.Models;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

public class ModelProjectTests
{
    private static ModelProject Project(TempFolder folder, params (string Path, string Sql)[] files)
    {
        foreach (var (path, sql) in files)
        {
            var full = Path.Combine(folder.Path, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, sql);
        }
        return ModelProject.Load(folder.Path);
    }

    /// <summary>Writes <paramref name="path"/> into the project and loads it, which must be refused: the message.</summary>
    private static string Refused(TempFolder folder, string path, string sql)
    {
        File.WriteAllText(Path.Combine(folder.Path, path), sql);
        return Assert.Throws<ModelException>(() => ModelProject.Load(folder.Path)).Message;
    }

    [Fact]
    public void Build_order_comes_from_the_models_themselves()
    {
        using var folder = new TempFolder();
        var project = Project(folder,
            ("kpi/kpi.sql", "-- KPIs.\nselect * from fct_b join int_a using (x)"),
            ("marts/fct_b.sql", "select * from int_a -- not stg_unused: comments do not count\nwhere y = 'stg_unused'"),
            ("intermediate/int_a.sql", "select * from stg_x"),
            ("staging/stg_x.sql", "select 1 as x, 2 as y"),
            ("staging/stg_unused.sql", "select 1 as z"));

        Assert.Equal(["stg_unused", "stg_x", "int_a", "fct_b", "kpi"], project.Models.Select(m => m.Name));
        Assert.Equal(["int_a"], project.Models.Single(m => m.Name == "fct_b").Dependencies);
        Assert.Equal("KPIs.", project.Models.Single(m => m.Name == "kpi").Description);
    }

    [Fact]
    public void A_circle_of_models_is_refused_with_its_path()
    {
        using var folder = new TempFolder();

        var e = Assert.Throws<ModelException>(() => Project(folder,
            ("staging/stg_a.sql", "select * from int_b"),
            ("intermediate/int_b.sql", "select * from stg_a")));

        Assert.Equal("The models depend on each other in a circle: stg_a → int_b → stg_a.", e.Message);
    }

    [Fact]
    public void A_model_built_per_federation_reads_curated_data_only_through_models_built_per_federation()
    {
        using var folder = new TempFolder();
        const string perFederation = "-- Built per federation: a federation's rows come from its own data alone.\n";

        var project = Project(folder,
            ("staging/stg_a.sql", perFederation + "select federation as federation_id from src_ledger"),
            ("staging/stg_ref.sql", "select * from ref_federations"),
            ("intermediate/int_b.sql", perFederation + "select a.federation_id from stg_a as a join stg_ref as r on r.federation_id = a.federation_id"),
            ("marts/fct_all.sql", "select count(*) as n from int_b\n" + perFederation));

        // The line counts in the header only.
        Assert.Equal([true, false, true, false], project.Models.Select(m => m.PerFederation));
        Assert.Equal([true, false, true, true], project.Models.Select(m => m.ReadsCurated));
        Assert.Equal(["src_ledger"], project.Models[0].Inputs);

        Assert.Equal("marts/fct_c.sql is built per federation, but it reads fct_all, which is built over every federation's data. " +
                     "Build fct_all per federation too, or remove the line '-- Built per federation' from marts/fct_c.sql.",
            Refused(folder, "marts/fct_c.sql", perFederation + "select b.federation_id from int_b as b cross join fct_all"));

        Assert.Equal("marts/fct_c.sql is built per federation, but it reads no curated data: remove the line '-- Built per federation' from it.",
            Refused(folder, "marts/fct_c.sql", perFederation + "select federation_id from stg_ref"));
    }

    [Fact]
    public void An_assertion_checked_per_federation_reads_curated_data_only_through_models_built_per_federation()
    {
        using var folder = new TempFolder();
        const string perFederation = "-- Built per federation: a federation's rows come from its own data alone.\n";
        const string checkedPerFederation = "-- Assertion: no row is lost.\n-- Checked per federation: it counts models built per federation.\n";
        Project(folder,
            ("staging/stg_a.sql", perFederation + "select federation as federation_id from src_ledger"),
            ("marts/fct_all.sql", "select count(*) as n from stg_a"));

        Directory.CreateDirectory(Path.Combine(folder.Path, "assertions"));
        File.WriteAllText(Path.Combine(folder.Path, "assertions", "assert_a.sql"), checkedPerFederation + "select * from stg_a where federation_id is null");
        var project = ModelProject.Load(folder.Path);
        Assert.True(project.Assertions.Single().PerFederation);
        Assert.Equal(["stg_a"], project.Assertions.Single().Dependencies);

        Assert.Equal("assertions/assert_a.sql is checked per federation, but it reads fct_all, which is built over every federation's data. " +
                     "Build fct_all per federation too, or remove the line '-- Checked per federation' from assertions/assert_a.sql.",
            Refused(folder, "assertions/assert_a.sql", checkedPerFederation + "select * from fct_all where n < 0"));
    }

    [Fact]
    public void A_model_built_per_year_reads_only_models_and_is_not_built_per_federation_too()
    {
        using var folder = new TempFolder();
        const string perYear = "-- Mart: counts per year.\n-- Built per year: a year's rows come from that year's rows of the models it reads.\n";
        var project = Project(folder,
            ("staging/stg_a.sql", "select federation as federation_id, 2025 as year from src_ledger"),
            ("marts/fct_year.sql", perYear + "select year, count(*) as n from stg_a group by year"));
        Assert.Equal([false, true], project.Models.Select(m => m.PerYear));

        Assert.Equal("marts/fct_year.sql is built per year, but it reads src_ledger directly: a model built per year reads only models (with a year column). " +
                     "Read it through a model, or remove the line '-- Built per year'.",
            Refused(folder, "marts/fct_year.sql", perYear + "select year, count(*) as n from src_ledger group by year"));

        Assert.Equal("marts/fct_year.sql is built per year, but it reads no curated data: remove the line '-- Built per year' from it.",
            Refused(folder, "marts/fct_year.sql", perYear + "select 2025 as year, 1 as n"));

        Assert.Equal("marts/fct_year.sql is built both per federation and per year: keep one of the lines '-- Built per federation' and '-- Built per year'.",
            Refused(folder, "marts/fct_year.sql",
                "-- Built per federation: a federation's rows come from its own data alone.\n" + perYear + "select federation_id, year from stg_a"));
    }

    [Fact]
    public void The_real_project_has_a_quality_union_after_every_rule_and_kpi_last()
    {
        var project = ModelProject.Load(Path.Combine(RepoPaths.Root, "queries"));
        var order = project.Models.Select(m => m.Name).ToList();

        Assert.True(order.IndexOf("quality") > order.IndexOf("q_unmapped_account"));
        Assert.True(order.IndexOf("dim_federation_year_areas") > order.IndexOf("quality"));
        Assert.True(order.IndexOf("kpi") > order.IndexOf("dim_kpi_status"));
        Assert.True(order.IndexOf("kpi") > order.IndexOf("fct_finance_year"));
        Assert.Equal(12, project.Models.Count(m => m.Layer == "quality" && m.Name != "quality"));
        Assert.All(project.Models.Where(m => m.Name != "quality"), m => Assert.StartsWith("--", m.Sql));
    }

    [Fact]
    public async Task DuckDB_is_configured_and_never_loads_extensions_by_itself()
    {
        using var folder = new TempFolder();
        using var session = new DuckDbSession(new ModelOptions(folder.Path, folder.Path) { Threads = 1, MemoryLimit = "256MB" });

        var settings = session.Query("""
            select current_setting('threads'), current_setting('memory_limit'), current_setting('autoinstall_known_extensions'),
                   current_setting('autoload_known_extensions'), current_setting('extension_directory')
            """).Rows.Single();

        Assert.Equal((1L, "244.1 MiB", false, false), (Convert.ToInt64(settings[0]), (string)settings[1]!, (bool)settings[2]!, (bool)settings[3]!));
        Assert.Equal(Path.Combine(folder.Path, "duckdb-extensions"), settings[4]);
        await Task.CompletedTask;
    }

    [Fact]
    public void Every_participant_count_is_protected_and_every_relation_is_between_protected_counts()
    {
        var catalog = File.ReadAllLines(Path.Combine(RepoPaths.Root, "queries", "kpi_catalog.csv")).Select(l => l.Split(';')).ToList();
        var header = catalog[0].ToList();
        var rows = catalog.Skip(1).Select(r => header.Zip(r).ToDictionary(x => x.First, x => x.Second)).ToList();
        string[] Protected(Dictionary<string, string> r) => r["protected_counts"].Split('|', StringSplitOptions.RemoveEmptyEntries);

        // Every count of people in the participants theme names what it reveals; the interventions and the budget count no one.
        var unprotected = rows.Where(r => r["tema"] == "deltagare" && r["unit"] == "antal" && Protected(r).Length == 0).Select(r => r["kpi_id"]).ToList();
        Assert.Equal(["antal_insatser", "deltagare_insats_budget"], unprotected);
        // A count reveals at least its own number.
        Assert.All(rows.Where(r => r["unit"] == "antal" && Protected(r).Length > 0), r => Assert.Contains(r["numerator"], Protected(r)));
        // Every relation is between protected counts (or a KPI's dimensions, or hidden counts that a relation defines from
        // them), so that protection closes it; the hidden counts are exactly these.
        var counts = rows.SelectMany(Protected).ToHashSet();
        var ids = rows.Select(r => r["kpi_id"]).ToHashSet();
        var relations = Finsam.Pipeline.Disclosure.DisclosureRelation.Read(Path.Combine(RepoPaths.Root, "queries", "small_count_relations.csv"));
        var named = Finsam.Pipeline.Disclosure.DisclosureRelation.MeasuresNamed(relations).ToHashSet();
        Assert.Equal(["offentlig_forsorjning_efter", "offentlig_forsorjning_fore", "okand_forsorjning_efter", "okand_forsorjning_fore", "upprepade_registreringar", "volym_insats"],
            named.Where(m => !counts.Contains(m)).Order(StringComparer.Ordinal));
        foreach (var relation in relations)
        foreach (var term in relation.Total.Concat(relation.Parts).Where(t => t != "*"))
        {
            var measure = term.Split('[')[0];
            Assert.True(term.StartsWith("kpi:", StringComparison.Ordinal) ? ids.Contains(term[4..]) : counts.Contains(measure) || named.Contains(measure), $"{relation.Name}: {term}");
        }
    }

    [Fact]
    public void The_kpi_catalog_page_lists_every_kpi_of_the_catalog_file()
    {
        var ids = File.ReadAllLines(Path.Combine(RepoPaths.Root, "queries", "kpi_catalog.csv")).Skip(1).Select(l => l.Split(';')[0]).ToList();
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "kpi-catalog.md"));

        Assert.Equal(46, ids.Count);
        Assert.All(ids, id => Assert.Contains($"| `{id}` |", page));
    }
}
