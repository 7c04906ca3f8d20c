using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The rows of the models built per year (<see cref="SqlModel.PerYear"/>), kept between builds in the database of
/// <see cref="FederationModels"/>, beside each year's signature: what that year's rows of the models it reads hold (a hash of
/// their rows; for a model built per federation, of each federation's rows, kept when they were computed), with the model's SQL,
/// the macros and the pipeline. A build computes a year again only where its signature changed (a federation's new month
/// changes that year's rows alone, and the other years' are kept), one year at a time, each over that year's rows alone,
/// so that a build's memory is one year's and not the whole history's.
/// </summary>
public sealed class YearModels(ModelProject project, FederationModels byFederation)
{
    /// <summary>Part of every signature: a change to how the rows are kept makes every kept row stale.</summary>
    private const string Version = "finsam-by-year-1";
    /// <summary>The table of signatures in the kept database, and the schema of a year's views while it is computed.</summary>
    private const string Signatures = SignaturesTable, YearSchema = "finsam_year";
    /// <summary>The kept database's table of each model's and year's signature.</summary>
    internal const string SignaturesTable = "finsam_year_signatures";

    private readonly SortedSet<long> _computed = [], _all = [];

    /// <summary>What the build computed and kept, for the log; null when it built no model per year.</summary>
    public string? Summary => _all.Count == 0 && _computed.Count == 0
        ? null
        : $"Models built per year: {_computed.Count} year(s) computed" + (_computed.Count > 0 ? $" ({string.Join(", ", _computed)})" : "") +
          $", {_all.Except(_computed).Count()} kept from the last build.";

    /// <summary>
    /// Builds <paramref name="model"/>: the years whose signature changed are computed, one at a time, over that year's rows of
    /// the models it reads, and replace their kept rows in one transaction; the model is then a view of the kept rows.
    /// </summary>
    public void Build(DuckDbSession db, SqlModel model)
    {
        var kept = FederationModels.KeptDatabase;
        var memory = (string)db.Query("select current_database()").Rows[0][0]!;
        var reads = model.Dependencies.Order(StringComparer.Ordinal).ToList();
        foreach (var read in reads) CheckYearColumn(db, model, read);
        db.Execute($"create table if not exists {kept}.{Signatures} (model varchar, year bigint, signature varchar)");

        var now = SignaturesNow(db, model, reads);
        var before = db.Query($"select year, signature from {kept}.{Signatures} where model = '{model.Name}'").Rows
            .ToDictionary(r => Convert.ToInt64(r[0]), r => (string)r[1]!);
        var changed = now.Keys.Union(before.Keys).Where(y => now.GetValueOrDefault(y) != before.GetValueOrDefault(y)).Order().ToList();
        var exists = Convert.ToInt64(db.Query($"select count(*) from duckdb_tables() where database_name = '{kept}' and schema_name = 'main' and table_name = '{model.Name}'").Rows[0][0]) > 0;
        // Every kept year changed (the model's SQL did, or there are none): the table is made anew, in case its columns changed.
        var anew = !exists || before.Keys.All(changed.Contains);
        _all.UnionWith(now.Keys);
        _computed.UnionWith(changed.Where(now.ContainsKey));

        if (changed.Count > 0 || !exists)
        {
            const string rows = "finsam_year_rows", part = "finsam_year_part";
            db.Execute($"create schema if not exists {YearSchema}");
            try
            {
                // With no year to compute, an empty table of the model's columns.
                var first = true;
                foreach (var year in changed.Count > 0 ? changed.Select(y => (long?)y) : [null])
                {
                    foreach (var read in reads)
                        db.Execute($"create or replace view {YearSchema}.{read} as select * from {memory}.main.{read} where year = {(year is { } y ? y.ToString(CultureInfo.InvariantCulture) : "null")}");
                    db.Execute($"set search_path = '{YearSchema},main'");
                    try
                    {
                        db.Execute($"create or replace table {memory}.main.{(first ? rows : part)} as\n{model.Sql}");
                    }
                    finally
                    {
                        db.Execute("reset search_path");
                    }
                    CheckYear(db, model, first ? rows : part, year);
                    if (!first) db.Execute($"insert into {rows} select * from {part}; drop table {part}");
                    first = false;
                }
            }
            finally
            {
                db.Execute($"drop schema if exists {YearSchema} cascade");
            }

            db.Execute("begin transaction");
            try
            {
                if (anew)
                    db.Execute($"create or replace table {kept}.{model.Name} as select * from {rows}");
                else
                    db.Execute($"delete from {kept}.{model.Name} where year in ({string.Join(", ", changed)}); insert into {kept}.{model.Name} select * from {rows}");
                db.Execute($"delete from {kept}.{Signatures} where model = '{model.Name}'");
                if (now.Count > 0)
                    db.Execute($"insert into {kept}.{Signatures} values {string.Join(", ", now.Select(s => $"('{model.Name}', {s.Key}, '{s.Value}')"))}");
                db.Execute("commit");
            }
            catch
            {
                try
                {
                    db.Execute("rollback");
                }
                catch (DuckDB.NET.Data.DuckDBException)
                {
                    // A commit that failed has ended the transaction already; the first error is the one to report.
                }
                throw;
            }
            db.Execute($"drop table {rows}");
        }
        db.Execute($"create or replace view {model.Name} as select * from {kept}.{model.Name}");
    }

    /// <summary>Each year's signature: what the model's rows of that year are made from.</summary>
    private Dictionary<long, string> SignaturesNow(DuckDbSession db, SqlModel model, IReadOnlyList<string> reads)
    {
        var byYear = new SortedDictionary<long, StringBuilder>();
        foreach (var read in reads)
        {
            // A model built per federation: its rows' hashes, kept for each federation when its rows were computed. Any other: hashed now.
            var sql = byFederation.HashedByYear.Contains(read)
                ? $"select year, string_agg(federation_id || '=' || hash, ',' order by federation_id) from {FederationModels.KeptDatabase}.{FederationModels.YearHashes} where model = '{read}' group by year"
                : $"select cast(year as bigint), {FederationModels.RowsHash} from {read} as t group by all";
            foreach (var row in db.Query(sql).Rows)
            {
                if (row[0] is null) continue; // rows without a year are in no year's figures
                var year = Convert.ToInt64(row[0]);
                if (!byYear.TryGetValue(year, out var text)) byYear[year] = text = new StringBuilder();
                text.Append(read).Append(':').Append(row[1]).Append('\n');
            }
        }
        var common = new StringBuilder(Version).Append('\n')
            .Append(db.Query("select library_version from pragma_version()").Rows[0][0]).Append('\n')
            .Append(typeof(YearModels).Assembly.ManifestModule.ModuleVersionId).Append('\n')
            .Append(model.RelativePath).Append('\n').Append(model.Sql).Append('\n');
        foreach (var macros in project.Macros) common.Append(macros.RelativePath).Append('\n').Append(macros.Sql).Append('\n');
        return byYear.ToDictionary(y => y.Key,
            y => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(common + y.Value.ToString()))));
    }

    /// <summary>A model built per year reads models whose rows each belong to a year: a column year of whole numbers.</summary>
    private static void CheckYearColumn(DuckDbSession db, SqlModel model, string read)
    {
        var year = db.Query($"describe {read}").Rows.FirstOrDefault(r => (string)r[0]! == "year");
        if (year is null || !new[] { "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT" }.Contains((string)year[1]!))
            throw new ModelException($"{model.RelativePath} is built per year, but it reads {read}, which has no year column of whole numbers: " +
                                     $"a year's rows are found by it. Remove the line '-- Built per year' from {model.RelativePath}.");
    }

    /// <summary>A model built per year gives a year's rows from that year's rows alone: computed over a year's rows, it gives rows of that year only.</summary>
    private static void CheckYear(DuckDbSession db, SqlModel model, string rows, long? year)
    {
        if (!db.Query($"describe {rows}").Rows.Any(r => (string)r[0]! == "year"))
            throw new ModelException($"{model.RelativePath} is built per year, but it has no year column.");
        var stray = db.Query($"select year from {rows} where year is distinct from {(year is { } y ? y.ToString(CultureInfo.InvariantCulture) : "null")} limit 1").Rows;
        if (stray.Count > 0)
            throw new ModelException($"{model.RelativePath} is built per year, but, computed over the rows of {year}, it gave a row of year " +
                                     $"{stray[0][0] ?? "(null)"}: a year's rows must come from that year's rows alone.");
    }
}
