using Finsam.Pipeline.Curated;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The inputs of the models as views: src_* over the cached curated Parquet (Hive partitions give
/// the federation and period columns) and ref_* over the reference CSV files. A data set with no
/// file yet, or an optional reference file that is missing, is an empty view with the same columns.
/// </summary>
public static class SourceViews
{
    private static readonly (string View, string Dataset, IReadOnlyList<(string Name, string DuckDbType)> Columns)[] Curated =
    [
        ("src_ledger", CuratedLayout.Ledger, CuratedTables.Ledger.DuckDbColumns),
        ("src_opening_balances", CuratedLayout.OpeningBalances, CuratedTables.OpeningBalances.DuckDbColumns),
        ("src_registrations", CuratedLayout.Registrations, CuratedTables.Registrations.DuckDbColumns),
    ];

    /// <summary>Reference files: view, file, whether required, columns.</summary>
    private static readonly (string View, string File, bool Required, (string Name, string DuckDbType)[] Columns)[] References =
    [
        ("ref_federations", "federations.csv", true,
            [("federation_id", "VARCHAR"), ("namn", "VARCHAR"), ("org_nr", "VARCHAR"), ("lan", "VARCHAR"), ("medlemskommuner", "VARCHAR")]),
        ("ref_population", "population.csv", false, [("kommun", "VARCHAR"), ("ar", "INTEGER"), ("befolkning_16_64", "BIGINT")]),
        ("ref_account_mapping", "account_mapping.csv", false,
            [("federation_id", "VARCHAR"), ("konto_fran", "BIGINT"), ("konto_till", "BIGINT"), ("objekt", "VARCHAR"), ("kategori", "VARCHAR"), ("medlem", "VARCHAR")]),
        ("ref_insatser", "insatser.csv", false,
            [("federation_id", "VARCHAR"), ("insats_id", "VARCHAR"), ("namn", "VARCHAR"), ("typ", "VARCHAR"), ("huvudman", "VARCHAR"), ("objekt", "VARCHAR")]),
        ("ref_budget", "budget.csv", false, [("federation_id", "VARCHAR"), ("ar", "INTEGER"), ("kategori", "VARCHAR"), ("belopp", "DECIMAL(18,2)")]),
    ];

    public const string KpiCatalogFile = "kpi_catalog.csv";
    private static readonly (string Name, string DuckDbType)[] KpiCatalogColumns =
        new[] { "kpi_id", "titel_sv", "title_en", "definition", "formula", "unit", "numerator", "denominator", "source_models", "by_gender", "tema", "protected_counts" }
            .Select(name => (name, "VARCHAR")).ToArray();

    public static void Create(DuckDbSession db, CuratedCache cache, string queriesFolder)
    {
        foreach (var (view, dataset, columns) in Curated)
        {
            var select = cache.HasDataset(dataset)
                ? $"select {string.Join(", ", columns.Select(c => c.Name))}, federation, period " +
                  $"from read_parquet('{DuckDbSession.Quote(cache.CompactedGlob(dataset))}', hive_partitioning = true, union_by_name = true)"
                : EmptySelect([.. columns, ("federation", "VARCHAR"), ("period", "VARCHAR")]);
            // A view: the staging models that read it are tables, so the data is held in memory once.
            db.Execute($"create or replace view {view} as {select}");
        }
        foreach (var (view, file, required, columns) in References)
            db.Execute($"create or replace table {view} as {ReadCsv(cache.ReferencePath(file), columns, required, file)}");
        db.Execute($"create or replace table ref_kpi_catalog as {ReadCsv(Path.Combine(queriesFolder, KpiCatalogFile), KpiCatalogColumns, true, KpiCatalogFile)}");
    }

    private static string ReadCsv(string path, IReadOnlyList<(string Name, string DuckDbType)> columns, bool required, string name)
    {
        if (File.Exists(path))
        {
            var columnTypes = "{" + string.Join(", ", columns.Select(c => $"'{c.Name}': '{c.DuckDbType}'")) + "}";
            return $"select * from read_csv('{DuckDbSession.Quote(path)}', header = true, delim = ';', quote = '\"', columns = {columnTypes})";
        }
        if (required) throw new ModelException($"The reference file {name} is missing (looked for {path}).");
        return EmptySelect(columns);
    }

    /// <summary>No rows, but the columns and types a file would have given.</summary>
    private static string EmptySelect(IEnumerable<(string Name, string DuckDbType)> columns) =>
        $"select {string.Join(", ", columns.Select(c => $"cast(null as {c.DuckDbType}) as {c.Name}"))} where false";
}
