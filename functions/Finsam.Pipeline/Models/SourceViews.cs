using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Reference;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The inputs of the models as views: src_* over the cached curated Parquet (Hive partitions give
/// the federation and period columns) and ref_* over the reference CSV files. A data set with no
/// file yet, or an optional reference file that is missing, is an empty view with the same columns.
/// A column that older curated files or reference files lack (e.g. alder_start in registrations
/// curated before it existed, budget_deltagare in insatser.csv) is read as null.
/// </summary>
public static class SourceViews
{
    private static readonly (string View, string Dataset, IReadOnlyList<(string Name, string DuckDbType)> Columns)[] Curated =
    [
        ("src_ledger", CuratedLayout.Ledger, CuratedTables.Ledger.DuckDbColumns),
        ("src_opening_balances", CuratedLayout.OpeningBalances, CuratedTables.OpeningBalances.DuckDbColumns),
        ("src_registrations", CuratedLayout.Registrations, CuratedTables.Registrations.DuckDbColumns),
        ("src_volumes", CuratedLayout.Volumes, CuratedTables.Volumes.DuckDbColumns),
    ];

    /// <summary>Reference files: view, file, whether required, columns.</summary>
    private static readonly (string View, string File, bool Required, (string Name, string DuckDbType)[] Columns)[] References =
    [
        // The header ingestion checks the file against: every column text.
        ("ref_federations", FederationRegistry.BlobName, true, [.. FederationRegistry.Header.Select(column => (column, "VARCHAR"))]),
        ("ref_population", "population.csv", false, [("kommun", "VARCHAR"), ("ar", "INTEGER"), ("befolkning_16_64", "BIGINT")]),
        ("ref_account_mapping", "account_mapping.csv", false,
            [("federation_id", "VARCHAR"), ("konto_fran", "BIGINT"), ("konto_till", "BIGINT"), ("objekt", "VARCHAR"), ("kategori", "VARCHAR"), ("medlem", "VARCHAR")]),
        ("ref_insatser", InsatsRegistry.BlobName, false,
            [("federation_id", "VARCHAR"), ("insats_id", "VARCHAR"), ("namn", "VARCHAR"), ("typ", "VARCHAR"), ("huvudman", "VARCHAR"), ("objekt", "VARCHAR"),
             ("budget_deltagare", "INTEGER")]),
        ("ref_budget", "budget.csv", false, [("federation_id", "VARCHAR"), ("ar", "INTEGER"), ("kategori", "VARCHAR"), ("belopp", "DECIMAL(18,2)")]),
    ];

    public const string KpiCatalogFile = "kpi_catalog.csv";
    /// <summary>Sweden's 21 counties: code, Kolada's region id and name (a county of reference/federations.csv is read by any of them).</summary>
    public const string CountiesFile = "lan.csv";
    private static readonly (string Name, string DuckDbType)[] CountyColumns = [("lan", "VARCHAR"), ("region_id", "VARCHAR"), ("namn", "VARCHAR")];
    /// <summary>Which KPI areas each data-quality error rule affects, and whether it withholds or flags them.</summary>
    public const string QualityScopeFile = "quality_scope.csv";
    private static readonly (string Name, string DuckDbType)[] QualityScopeColumns =
        [("rule_id", "VARCHAR"), ("areas", "VARCHAR"), ("action", "VARCHAR"), ("reason", "VARCHAR")];
    private static readonly (string Name, string DuckDbType)[] KpiCatalogColumns =
        new[] { "kpi_id", "titel_sv", "title_en", "definition", "formula", "unit", "numerator", "denominator", "source_models", "by_gender", "tema", "protected_counts", "depends_on", "population" }
            .Select(name => (name, "VARCHAR")).ToArray();

    public static void Create(DuckDbSession db, CuratedCache cache, string queriesFolder, IReadOnlySet<string>? federations = null)
    {
        CreateCurated(db, cache, federations);
        foreach (var (view, path, required, columns) in ReferenceFiles(cache, queriesFolder))
            db.Execute($"create or replace table {view} as {ReadCsv(path, columns, required, Path.GetFileName(path))}");
    }

    /// <summary>
    /// The src_* views and src_partitions: over every federation's curated data, or over only <paramref name="federations"/>'
    /// (the federations a build computes the models built per federation for, <see cref="FederationModels"/>).
    /// </summary>
    public static void CreateCurated(DuckDbSession db, CuratedCache cache, IReadOnlySet<string>? federations = null)
    {
        foreach (var (view, dataset, columns) in Curated)
        {
            List<string> files = federations is null
                ? cache.HasDataset(dataset) ? [cache.CompactedGlob(dataset)] : []
                : [.. federations.Order(StringComparer.Ordinal).Select(f => cache.CompactedFile(dataset, f)).OfType<string>()];
            string select;
            if (files.Count > 0)
            {
                var read = $"read_parquet([{string.Join(", ", files.Select(f => $"'{DuckDbSession.Quote(f)}'"))}], hive_partitioning = true, hive_types = {{'federation': 'VARCHAR'}}, union_by_name = true)";
                var present = db.Query($"describe select * from {read}").Rows.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
                select = $"select {string.Join(", ", columns.Select(c => present.Contains(c.Name) ? c.Name : $"cast(null as {c.DuckDbType}) as {c.Name}"))}, " +
                         $"federation, period from {read}";
            }
            else
            {
                select = EmptySelect([.. columns, ("federation", "VARCHAR"), ("period", "VARCHAR")]);
            }
            // A view: the staging models that read it are tables, so the data is held in memory once.
            db.Execute($"create or replace view {view} as {select}");
        }
        // src_partitions: which months each data set has a partition for, rows or not (see CuratedCache.Partitions). Appended, not
        // written as SQL: a national store has about 40 000 (a VALUES list of them took half a second to parse).
        db.Execute("create or replace table src_partitions (dataset varchar, federation varchar, period varchar)");
        db.Append("src_partitions", cache.Partitions.Where(p => federations is null || federations.Contains(p.Federation))
            .Select(p => (IReadOnlyList<string>)[p.Dataset, p.Federation, p.Period]));
    }

    /// <summary>Every ref_* table: its view, the file it is read from (in the cache, or in the SQL project), whether the file is required, its columns.</summary>
    public static IEnumerable<(string View, string Path, bool Required, IReadOnlyList<(string Name, string DuckDbType)> Columns)> ReferenceFiles(CuratedCache cache, string queriesFolder)
    {
        foreach (var (view, file, required, columns) in References) yield return (view, cache.ReferencePath(file), required, columns);
        yield return ("ref_kpi_catalog", Path.Combine(queriesFolder, KpiCatalogFile), true, KpiCatalogColumns);
        yield return ("ref_lan", Path.Combine(queriesFolder, CountiesFile), true, CountyColumns);
        yield return ("ref_quality_scope", Path.Combine(queriesFolder, QualityScopeFile), true, QualityScopeColumns);
    }

    /// <summary>
    /// The declared columns of a ';'-separated reference file, read by the names in its header: a declared column the
    /// file lacks is null (an optional column added later), a column the file has beyond them is read as text and left out.
    /// </summary>
    private static string ReadCsv(string path, IReadOnlyList<(string Name, string DuckDbType)> columns, bool required, string name)
    {
        if (File.Exists(path))
        {
            var header = File.ReadLines(path).FirstOrDefault() ?? "";
            var inFile = header.TrimStart('\uFEFF').Split(';').Select(c => c.Trim().Trim('"').ToLowerInvariant()).Where(c => c.Length > 0).ToList();
            var declared = columns.ToDictionary(c => c.Name, c => c.DuckDbType, StringComparer.Ordinal);
            var columnTypes = "{" + string.Join(", ", inFile.Select(c => $"'{DuckDbSession.Quote(c)}': '{declared.GetValueOrDefault(c, "VARCHAR")}'")) + "}";
            var list = string.Join(", ", columns.Select(c => inFile.Contains(c.Name) ? $"\"{c.Name}\"" : $"cast(null as {c.DuckDbType}) as {c.Name}"));
            return $"select {list} from read_csv('{DuckDbSession.Quote(path)}', header = true, delim = ';', quote = '\"', columns = {columnTypes})";
        }
        if (required) throw new ModelException($"The reference file {name} is missing (looked for {path}).");
        return EmptySelect(columns);
    }

    /// <summary>No rows, but the columns and types a file would have given.</summary>
    private static string EmptySelect(IEnumerable<(string Name, string DuckDbType)> columns) =>
        $"select {string.Join(", ", columns.Select(c => $"cast(null as {c.DuckDbType}) as {c.Name}"))} where false";
}
