using System.Security.Cryptography;
using System.Text;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The rows of the models built per federation (<see cref="SqlModel.PerFederation"/>), kept between builds in a DuckDB
/// database in the work folder, beside each federation's signature: what its rows were made from, its curated files
/// (<see cref="CuratedCache.FederationInputs"/>), the SQL of these models and of the models and macros they read, the
/// reference files they read, and the pipeline itself. A build computes these models only for the federations whose
/// signature changed, over their data alone (<see cref="Changed"/>), and reads every other federation's rows from the
/// database (<see cref="Keep"/>). The rows and signatures change in one transaction: a build that stops halfway leaves the
/// last build's.
/// </summary>
public sealed class FederationModels
{
    /// <summary>Part of every signature: a change to how the rows are kept makes every kept row stale.</summary>
    private const string Version = "finsam-by-federation-2";
    /// <summary>The attached database's name in the session, and its table of signatures.</summary>
    private const string Kept = KeptDatabase, Signatures = "finsam_signatures";
    /// <summary>The kept rows' database in the session (the models built per year keep theirs there too, <see cref="YearModels"/>).</summary>
    internal const string KeptDatabase = "kept";
    /// <summary>The kept database's table of each federation's rows' hash by year, of the models a model built per year reads (<see cref="HashedByYear"/>).</summary>
    internal const string YearHashes = "finsam_year_hashes";
    /// <summary>A hash of a group of rows of the table aliased <see cref="RowAlias"/>, whatever their order: their hashes' sum and their count.</summary>
    internal const string RowsHash = $"cast(sum(hash({RowAlias})) as varchar) || '/' || count(*)", RowAlias = "finsam_row";
    /// <summary>The signature kept for a federation whose rows failed an assertion checked per federation: never a signature computed, so
    /// they are computed again, and the federation is still known (gone when its data is).</summary>
    private const string Unchecked = "unchecked";
    /// <summary>The model whose rows are the federation-years, for the build's report.</summary>
    private const string FederationYearsModel = "int_federation_years";

    private readonly string _file;
    private readonly IReadOnlyList<SqlModel> _models;
    /// <summary>The models whose rows are kept: those a model over every federation reads. The others are views over every
    /// federation's data once the build is done, for the assertions and `finsam sql`.</summary>
    private readonly IReadOnlyList<SqlModel> _kept;
    /// <summary>The models built per year, whose rows <see cref="YearModels"/> keeps in the same database.</summary>
    private readonly IReadOnlyList<string> _perYear;
    private readonly IReadOnlyDictionary<string, string> _signatures;
    /// <summary>Federations with kept rows and no curated data any more.</summary>
    private readonly IReadOnlyList<string> _gone;

    private FederationModels(string file, IReadOnlyList<SqlModel> models, IReadOnlyList<SqlModel> kept, IReadOnlyList<string> perYear,
        IReadOnlySet<string> hashedByYear, IReadOnlyDictionary<string, string> signatures, IReadOnlySet<string> changed, IReadOnlyList<string> gone)
    {
        _file = file;
        _models = models;
        _kept = kept;
        _perYear = perYear;
        HashedByYear = hashedByYear;
        _signatures = signatures;
        _gone = gone;
        Changed = changed;
    }

    /// <summary>The federations whose rows this build computes: new ones, and those whose data or models changed.</summary>
    public IReadOnlySet<string> Changed { get; }

    /// <summary>
    /// The kept models a model built per year reads: for each, every federation's rows of each year have a hash in <see cref="YearHashes"/>,
    /// made when they were computed, so that a build knows which years of them changed without reading them.
    /// </summary>
    public IReadOnlySet<string> HashedByYear { get; }

    /// <summary>Whether <see cref="Keep"/> wrote every federation's rows.</summary>
    private bool _wroteEvery;

    /// <summary>
    /// Attaches the kept rows' database to <paramref name="db"/> (a new one where there is none, or where this DuckDB cannot
    /// read it) and compares each federation's signature now with the one its rows were made with.
    /// </summary>
    public static FederationModels Plan(DuckDbSession db, string file, ModelProject project, CuratedCache cache, IProgress<string>? progress = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Dictionary<string, string> kept;
        try
        {
            kept = Open(db, file);
        }
        catch (DuckDB.NET.Data.DuckDBException e) when (!e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            // Written by another DuckDB version, or damaged: the rows are only a cache, every federation is computed again.
            progress?.Report($"The kept rows of the models built per federation cannot be read ({e.Message.Split('\n')[0]}); every federation is computed again.");
            try
            {
                db.Execute($"detach database if exists {Kept}");
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
            }
            foreach (var stale in new[] { file, file + ".wal" }) File.Delete(stale);
            kept = Open(db, file);
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new ModelException($"The kept rows of the models built per federation ({file}) are in use by another program: {e.Message.Split('\n')[0]} " +
                                     "Close it and build again.", e);
        }
        var models = project.Models.Where(m => m.PerFederation).ToList();
        var readElsewhere = project.Models.Where(m => !m.PerFederation).SelectMany(m => m.Dependencies).ToHashSet(StringComparer.Ordinal);
        var keep = models.Where(m => readElsewhere.Contains(m.Name)).ToList();
        var perYear = project.Models.Where(m => m.PerYear).ToList();
        var readPerYear = perYear.SelectMany(m => m.Dependencies).ToHashSet(StringComparer.Ordinal);
        var hashed = keep.Where(m => readPerYear.Contains(m.Name)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var common = CommonSignature(db, project, cache, models, keep) + string.Join(',', hashed.Order(StringComparer.Ordinal)) + "\n";
        var signatures = cache.FederationInputs.ToDictionary(f => f.Key, f => Hash(common + "\n" + f.Value), StringComparer.Ordinal);
        var changed = signatures.Where(f => kept.GetValueOrDefault(f.Key) != f.Value).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return new FederationModels(file, models, keep, [.. perYear.Select(m => m.Name)], hashed, signatures, changed, [.. kept.Keys.Where(f => !signatures.ContainsKey(f))]);
    }

    /// <summary>Attaches the database and reads its signatures, federation by federation.</summary>
    private static Dictionary<string, string> Open(DuckDbSession db, string file)
    {
        db.Execute($"attach '{DuckDbSession.Quote(file)}' as {Kept}");
        db.Execute($"create table if not exists {Kept}.{Signatures} (federation_id varchar, signature varchar)");
        db.Execute($"create table if not exists {Kept}.{YearHashes} (model varchar, federation_id varchar, year bigint, hash varchar)");
        db.Execute($"create table if not exists {Kept}.{YearModels.SignaturesTable} (model varchar, year bigint, signature varchar)");
        return db.Query($"select federation_id, signature from {Kept}.{Signatures}").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
    }

    /// <summary>
    /// After the models built per federation were computed for <see cref="Changed"/>: their rows replace those federations'
    /// kept rows, the rows of federations that are gone are removed, and each model becomes a view over every federation's rows.
    /// </summary>
    /// <param name="passed">Whether the assertions checked per federation passed on the rows computed: when not, their federations are
    /// kept as unchecked (<see cref="Unchecked"/>), so that the next build computes and checks them again instead of keeping rows that
    /// failed, and removes their rows when their data is gone.</param>
    /// <returns>What was computed and what kept, for the build's report; null when no model is built per federation.</returns>
    public string? Keep(DuckDbSession db, bool passed = true)
    {
        if (_models.Count == 0) return null;
        var computedYears = CountFederationYears(db);
        var all = Changed.Count == _signatures.Count;
        var stale = string.Join(", ", Changed.Concat(_gone).Select(Literal));
        db.InTransaction(() =>
        {
            foreach (var model in _models) Check(db, model);
            foreach (var model in _kept)
            {
                if (all)
                {
                    db.Execute($"create or replace table {Kept}.{model.Name} as select * from {model.Name}");
                    continue;
                }
                if (stale.Length > 0)
                    db.Execute($"delete from {Kept}.{model.Name} where federation_id in ({stale}); insert into {Kept}.{model.Name} by name select * from {model.Name}");
            }
            if (all) db.Execute($"delete from {Kept}.{YearHashes}");
            else if (stale.Length > 0) db.Execute($"delete from {Kept}.{YearHashes} where federation_id in ({stale})");
            foreach (var model in HashedByYear.Order(StringComparer.Ordinal))
                db.Execute($"insert into {Kept}.{YearHashes} select {Literal(model)}, federation_id, year, {RowsHash} from {model} as {RowAlias} group by federation_id, year");
            // A model no longer built per federation or per year: its kept rows go, and so do its years' signatures.
            var tables = string.Join(", ", _kept.Select(m => m.Name).Concat(_perYear).Concat([Signatures, YearHashes, YearModels.SignaturesTable]).Select(Literal));
            foreach (var gone in db.Query($"select table_name from duckdb_tables() where database_name = '{Kept}' and table_name not in ({tables})").Rows)
                db.Execute($"drop table {Kept}.{gone[0]}");
            db.Execute($"delete from {Kept}.{YearModels.SignaturesTable} where model not in ({string.Join(", ", _perYear.Select(Literal).Append("''"))})");
            db.Execute($"delete from {Kept}.{Signatures}");
            // A federation whose rows failed an assertion is kept as unchecked: computed and checked again by the next build.
            var signatures = _signatures.Select(s => passed || !Changed.Contains(s.Key) ? s : new KeyValuePair<string, string>(s.Key, Unchecked)).ToList();
            if (signatures.Count > 0)
                db.Execute($"insert into {Kept}.{Signatures} values {string.Join(", ", signatures.Select(s => $"({Literal(s.Key)}, {Literal(s.Value)})"))}");
        });
        _wroteEvery = all;
        foreach (var model in _kept) db.Execute($"drop table {model.Name}; create view {model.Name} as select * from {Kept}.{model.Name}");
        var allYears = CountFederationYears(db);
        return $"Models built per federation: {Changed.Count} federation(s) computed ({computedYears} federation-year(s)), " +
               $"{_signatures.Count - Changed.Count} kept from the last build ({allYears - computedYears} federation-year(s))" +
               (_gone.Count > 0 ? $", {_gone.Count} removed (no curated data any more)." : ".");
    }

    /// <summary>
    /// Once every model is built: the kept rows' database is read-only from here, so that what `finsam sql` or a later step does in this
    /// session cannot change the kept rows.
    /// </summary>
    public void Seal(DuckDbSession db)
    {
        // A build that wrote every federation's rows writes them into the database file now; a tick's few rows stay in the
        // write-ahead log, which the next attach reads (DuckDB checkpoints it by itself once it is large): checkpointing at detach
        // rewrote the tables' changed row groups, 0.8 s of a national tick.
        if (_wroteEvery) db.Execute($"checkpoint {Kept}");
        db.Execute("pragma disable_checkpoint_on_shutdown");
        db.Execute($"detach {Kept}; attach '{DuckDbSession.Quote(_file)}' as {Kept} (read_only)");
    }

    /// <summary>
    /// Once the src_* views are over every federation's data again: the models built per federation that are not kept become
    /// views over every federation's data, for the assertions and `finsam sql` (computed when read).
    /// </summary>
    public void ViewOverEveryFederation(DuckDbSession db)
    {
        // In build order, so that each view's models are views already when it is made.
        foreach (var model in _models.Except(_kept)) db.Execute($"drop table {model.Name}; create view {model.Name} as\n{model.Sql}");
    }

    /// <summary>A model built per federation has a federation_id, and its rows are of the federations it was computed for.</summary>
    private void Check(DuckDbSession db, SqlModel model)
    {
        var columns = db.Query($"describe {model.Name}").Rows.Select(r => (string)r[0]!).ToList();
        if (!columns.Contains("federation_id"))
            throw new ModelException($"{model.RelativePath} is built per federation, but it has no federation_id column.");
        var stray = db.Query($"select distinct federation_id from {model.Name}").Rows.Select(r => r[0]?.ToString()).Where(f => f is null || !Changed.Contains(f)).ToList();
        if (stray.Count > 0)
        {
            var computed = Changed.Order(StringComparer.Ordinal).ToList();
            var named = string.Join(", ", computed.Take(5)) + (computed.Count > 5 ? $" and {computed.Count - 5} more" : "");
            throw new ModelException($"{model.RelativePath} is built per federation, but, computed over the data of {named}, " +
                                     $"it gave a row of federation '{stray[0] ?? "(null)"}': a federation's rows must come from its own data.");
        }
    }

    /// <summary>The federation-years, from int_federation_years: before <see cref="Keep"/> replaces the tables, those computed;
    /// after, every federation's (it is kept, as models over every federation read it).</summary>
    private long CountFederationYears(DuckDbSession db) =>
        _models.Any(m => m.Name == FederationYearsModel) ? Convert.ToInt64(db.Query($"select count(*) from {FederationYearsModel}").Rows[0][0]) : 0;

    private static string Literal(string text) => DuckDbSession.Literal(text);

    /// <summary>What every federation's rows are made from besides its own data: the pipeline, the SQL and the reference files the models read.</summary>
    private static string CommonSignature(DuckDbSession db, ModelProject project, CuratedCache cache, IReadOnlyList<SqlModel> models, IReadOnlyList<SqlModel> kept)
    {
        var byName = project.Models.ToDictionary(m => m.Name);
        var read = new SortedDictionary<string, SqlModel>(StringComparer.Ordinal);
        void Add(SqlModel model)
        {
            if (!read.TryAdd(model.Name, model)) return;
            foreach (var dependency in model.Dependencies) Add(byName[dependency]);
        }
        foreach (var model in models) Add(model);
        var text = new StringBuilder(Version).Append('\n').Append(EngineSignature(db))
            .Append(string.Join(',', models.Select(m => m.Name))).Append('\n')
            .Append(string.Join(',', kept.Select(m => m.Name))).Append('\n');
        foreach (var model in read.Values) text.Append(model.RelativePath).Append('\n').Append(model.Sql).Append('\n');
        // The kept rows passed the assertions checked per federation: a changed one checks every federation again.
        foreach (var assertion in project.Assertions.Where(a => a.PerFederation)) text.Append(assertion.RelativePath).Append('\n').Append(assertion.Sql).Append('\n');
        text.Append(MacrosSignature(project, cache));
        ReferenceFiles(text, project, cache, read.Values.SelectMany(m => m.Inputs));
        return text.ToString();
    }

    /// <summary>DuckDB's version and the pipeline's (its assembly's build): part of what every kept row is made from.</summary>
    internal static string EngineSignature(DuckDbSession db) =>
        $"{db.Query("select library_version from pragma_version()").Rows[0][0]}\n{typeof(FederationModels).Assembly.ManifestModule.ModuleVersionId}\n";

    /// <summary>The macro files and the reference files they read: part of what every model's rows are made from.</summary>
    internal static string MacrosSignature(ModelProject project, CuratedCache cache)
    {
        var text = new StringBuilder();
        foreach (var macros in project.Macros) text.Append(macros.RelativePath).Append('\n').Append(macros.Sql).Append('\n');
        ReferenceFiles(text, project, cache, project.Macros.SelectMany(m => m.Inputs));
        return text.ToString();
    }

    /// <summary>The content's hash of each reference file among <paramref name="inputs"/>.</summary>
    private static void ReferenceFiles(StringBuilder text, ModelProject project, CuratedCache cache, IEnumerable<string> inputs)
    {
        var read = inputs.ToHashSet(StringComparer.Ordinal);
        foreach (var (view, path, _, _) in SourceViews.ReferenceFiles(cache, project.Root).Where(r => read.Contains(r.View)))
            text.Append(view).Append(' ').Append(File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : "none").Append('\n');
    }

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
