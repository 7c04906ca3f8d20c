using System.Globalization;
using System.Text;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The rows of the models built per year (<see cref="SqlModel.PerYear"/>), kept between builds in the database of
/// <see cref="FederationModels"/>, beside each year's signature: what that year's rows of the models it reads hold (a hash of
/// their rows; for a model built per federation, of each federation's rows, kept when they were computed), with the model's SQL,
/// the macros and the pipeline. A build computes a year again only where its signature changed (a federation's new month
/// changes that year's rows alone, and the other years' are kept), a few years at a time, each batch over its years' rows
/// alone (<see cref="BatchRows"/>), so that a build's memory is a batch's and not the whole history's.
/// </summary>
public sealed class YearModels(ModelProject project, CuratedCache cache, FederationModels byFederation)
{
    /// <summary>Part of every signature: a change to how the rows are kept makes every kept row stale.</summary>
    private const string Version = "finsam-by-year-1";
    /// <summary>The schema of a year's views while it is computed, and the tables of the rows computed.</summary>
    private const string YearSchema = "finsam_year", Rows = "finsam_year_rows", Part = "finsam_year_part";
    /// <summary>The kept database's table of each model's and year's signature.</summary>
    internal const string SignaturesTable = "finsam_year_signatures";

    /// <summary>
    /// The rows of what a model reads that one computation takes at most: consecutive years are computed together up to it (a year
    /// of more rows alone). Each computation has a fixed cost (a national full build computed ten years one at a time in 1.3 s,
    /// all ten at once in 1.1 s), and all years at once ran out of the build's default DuckDB memory limit of 512 MB at ten
    /// times the national data (7.6 million registration-years; docs/benchmarks.md, "Incremental builds"). Computed together,
    /// a model that reads another year's rows within the batch is not caught by <see cref="CheckYears"/>: the rule is the SQL's.
    /// </summary>
    internal const long BatchRows = 1_000_000;

    private readonly SortedSet<long> _computed = [], _all = [];
    /// <summary>Each model read so far: its columns, and its rows' hash and count by year. A model several models built per year read is
    /// hashed once (a model's rows do not change once it is built).</summary>
    private readonly Dictionary<string, (string Columns, List<(long Year, string Hash, long Rows)> Years)> _reads = new(StringComparer.Ordinal);
    private string? _common;

    /// <summary>What the build computed and kept (years computed for any of the models), for the log; null when it built no model per year.</summary>
    public string? Summary => _all.Count == 0 && _computed.Count == 0
        ? null
        : $"Models built per year: {_computed.Count} year(s) computed" + (_computed.Count > 0 ? $" ({Years(_computed)})" : "") +
          $", {_all.Except(_computed).Count()} kept from the last build.";

    /// <summary>
    /// Builds <paramref name="model"/>: the years whose signature changed are computed, a batch of years at a time, over those years'
    /// rows of the models it reads, and replace their kept rows in one transaction; the model is then a view of the kept rows.
    /// </summary>
    public void Build(DuckDbSession db, SqlModel model)
    {
        const string kept = FederationModels.KeptDatabase;
        var name = Literal(model.Name);
        var reads = model.Dependencies.Order(StringComparer.Ordinal).ToList();
        var (now, rows) = SignaturesNow(db, model, reads);
        var exists = Convert.ToInt64(db.Query(
            $"select count(*) from duckdb_tables() where database_name = '{kept}' and schema_name = 'main' and table_name = {name}").Rows[0][0]) > 0;
        // Without its kept table no year is kept, whatever signatures are left (of a model that was not built per year for a while).
        var before = exists
            ? db.Query($"select year, signature from {kept}.{SignaturesTable} where model = {name}").Rows.ToDictionary(r => Convert.ToInt64(r[0]), r => (string)r[1]!)
            : [];
        var changed = now.Keys.Union(before.Keys).Where(y => now.GetValueOrDefault(y) != before.GetValueOrDefault(y)).Order().ToList();
        var compute = changed.Where(now.ContainsKey).ToList(); // a year gone from what it reads is only removed
        _all.UnionWith(now.Keys);
        _computed.UnionWith(compute);

        if (changed.Count > 0 || !exists)
        {
            Compute(db, model, reads, Batches(compute, rows));
            // Every kept year changed (its SQL or what it reads did, or nothing was kept): the table is made anew, its columns too.
            var anew = !exists || before.Keys.All(changed.Contains);
            db.InTransaction(() =>
            {
                if (anew) db.Execute($"create or replace table {kept}.{model.Name} as select * from {Rows}");
                else db.Execute($"delete from {kept}.{model.Name} where year in ({Years(changed)}); insert into {kept}.{model.Name} by name select * from {Rows}");
                db.Execute($"delete from {kept}.{SignaturesTable} where model = {name}");
                if (now.Count > 0)
                    db.Execute($"insert into {kept}.{SignaturesTable} values {string.Join(", ", now.Select(s => $"({name}, {Year(s.Key)}, {Literal(s.Value)})"))}");
            });
            db.Execute($"drop table {Rows}");
        }
        db.Execute($"create or replace view {model.Name} as select * from {kept}.{model.Name}");
    }

    /// <summary>Consecutive years, in order, in batches of at most <see cref="BatchRows"/> rows of what the model reads (a larger year alone).</summary>
    internal static List<List<long>> Batches(IReadOnlyList<long> years, IReadOnlyDictionary<long, long> rows)
    {
        var batches = new List<List<long>>();
        long inBatch = 0;
        foreach (var year in years)
        {
            var yearRows = rows.GetValueOrDefault(year);
            if (batches.Count == 0 || inBatch + yearRows > BatchRows)
            {
                batches.Add([]);
                inBatch = 0;
            }
            batches[^1].Add(year);
            inBatch += yearRows;
        }
        return batches;
    }

    /// <summary>The model's rows of the years of <paramref name="batches"/> into <see cref="Rows"/>, a batch at a time over its years' rows of what it reads.</summary>
    private static void Compute(DuckDbSession db, SqlModel model, IReadOnlyList<string> reads, IReadOnlyList<List<long>> batches)
    {
        var memory = (string)db.Query("select current_database()").Rows[0][0]!;
        void Run(IReadOnlyList<long> years, string sql)
        {
            foreach (var read in reads)
                db.Execute($"create or replace view {YearSchema}.{read} as select * from {memory}.main.{read} where year in ({(years.Count > 0 ? Years(years) : "null")})");
            db.Execute($"set search_path = '{YearSchema},main'");
            try
            {
                db.Execute(sql);
            }
            catch
            {
                Quietly(db, "reset search_path");
                throw;
            }
            db.Execute("reset search_path");
        }
        db.Execute($"create schema if not exists {YearSchema}");
        try
        {
            // Its columns: the model over no year's rows, emptied.
            Run([], $"create or replace table {memory}.main.{Rows} as\n{model.Sql}");
            db.Execute($"delete from {memory}.main.{Rows}");
            foreach (var years in batches)
            {
                Run(years, $"create or replace table {memory}.main.{Part} as\n{model.Sql}");
                CheckYears(db, model, years);
                db.Execute($"insert into {memory}.main.{Rows} by name select * from {memory}.main.{Part}; drop table {memory}.main.{Part}");
            }
        }
        catch
        {
            Quietly(db, $"drop schema if exists {YearSchema} cascade");
            throw;
        }
        // Not quietly: a view of one year's rows left behind would be read in place of the model by every later one.
        db.Execute($"drop schema {YearSchema} cascade");
    }

    /// <summary>Each year's signature (what the model's rows of that year are made from), and the rows it reads of each year.</summary>
    private (Dictionary<long, string> Signatures, Dictionary<long, long> Rows) SignaturesNow(DuckDbSession db, SqlModel model, IReadOnlyList<string> reads)
    {
        var byYear = new SortedDictionary<long, StringBuilder>();
        var rows = new Dictionary<long, long>();
        // What it reads, as columns and types: a change to them computes every year (and makes the table anew).
        var columns = new StringBuilder();
        foreach (var read in reads)
        {
            var (readColumns, years) = Read(db, model, read);
            columns.Append(read).Append(": ").Append(readColumns).Append('\n');
            foreach (var (year, hash, count) in years)
            {
                if (!byYear.TryGetValue(year, out var text)) byYear[year] = text = new StringBuilder();
                text.Append(read).Append(':').Append(hash).Append('\n');
                rows[year] = rows.GetValueOrDefault(year) + count;
            }
        }
        _common ??= Version + "\n" + FederationModels.EngineSignature(db) + FederationModels.MacrosSignature(project, cache);
        var common = _common + model.RelativePath + "\n" + model.Sql + "\n" + columns;
        return (byYear.ToDictionary(y => y.Key, y => FederationModels.Hash(common + y.Value)), rows);
    }

    /// <summary>
    /// A model that <paramref name="model"/> reads: its columns (a column year of whole numbers, and no row without a year, or it is refused),
    /// and its rows' hash and count by year. For a model built per federation, the hashes kept for each federation when its rows were
    /// computed (each ends with its count of rows, <see cref="FederationModels.RowsHash"/>).
    /// </summary>
    private (string Columns, List<(long Year, string Hash, long Rows)> Years) Read(DuckDbSession db, SqlModel model, string read)
    {
        if (_reads.TryGetValue(read, out var known)) return known;
        var columns = db.Query($"describe {read}").Rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        if (!columns.Any(c => c.Item1 == "year" && c.Item2 is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT"))
            throw new ModelException($"{model.RelativePath} is built per year, but it reads {read}, which has no year column of whole numbers: " +
                                     $"a year's rows are found by it. Remove the line '-- Built per year' from {model.RelativePath}.");
        var sql = byFederation.HashedByYear.Contains(read)
            ? $"select year, string_agg(federation_id || '=' || hash, ',' order by federation_id), cast(sum(cast(split_part(hash, '/', 2) as bigint)) as bigint) " +
              $"from {FederationModels.KeptDatabase}.{FederationModels.YearHashes} where model = {Literal(read)} group by year"
            : $"select cast(year as bigint), {FederationModels.RowsHash}, count(*) from {read} as {FederationModels.RowAlias} group by all";
        var years = new List<(long, string, long)>();
        foreach (var row in db.Query(sql).Rows)
        {
            if (row[0] is null)
                throw new ModelException($"{model.RelativePath} is built per year, but {read} has rows without a year: they would be in no year's rows. " +
                                         $"Give them a year, or remove the line '-- Built per year' from {model.RelativePath}.");
            years.Add((Convert.ToInt64(row[0]), (string)row[1]!, Convert.ToInt64(row[2])));
        }
        return _reads[read] = (string.Join(", ", columns.Select(c => c.Item1 + " " + c.Item2)), years);
    }

    /// <summary>A model built per year gives a year's rows from that year's rows alone: computed over some years' rows, it gives rows of those years only.</summary>
    private static void CheckYears(DuckDbSession db, SqlModel model, IReadOnlyList<long> years)
    {
        if (!db.Query($"describe {Part}").Rows.Any(r => (string)r[0]! == "year"))
            throw new ModelException($"{model.RelativePath} is built per year, but it has no year column.");
        var stray = db.Query($"select year from {Part} where year is null or year not in ({Years(years)}) limit 1").Rows;
        if (stray.Count > 0)
            throw new ModelException($"{model.RelativePath} is built per year, but, computed over the rows of {Years(years)}, it gave a row of year " +
                                     $"{stray[0][0] ?? "(none)"}: a year's rows must come from that year's rows alone.");
    }

    /// <summary>Cleans up after a step that failed; an error here must not hide the step's own.</summary>
    private static void Quietly(DuckDbSession db, string sql)
    {
        try
        {
            db.Execute(sql);
        }
        catch (DuckDB.NET.Data.DuckDBException)
        {
        }
    }

    private static string Year(long year) => year.ToString(CultureInfo.InvariantCulture);

    private static string Years(IEnumerable<long> years) => string.Join(", ", years.Select(Year));

    private static string Literal(string text) => DuckDbSession.Literal(text);
}
