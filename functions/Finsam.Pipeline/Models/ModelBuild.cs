using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Models;

/// <summary>A failed assertion: its name and the rows it returned.</summary>
public sealed record AssertionFailure(string Name, string RelativePath, QueryResult Rows);

/// <summary>
/// A build of the SQL project over the curated data: the cache is refreshed, every model is created
/// in dependency order (a table; a model built per federation is computed for the federations whose data changed and
/// read as a view, <see cref="FederationModels"/>), and every assertion is run. The session stays open for queries
/// (`finsam sql`) until disposed.
/// </summary>
public sealed class ModelBuild : IDisposable
{
    /// <summary>The models a build writes to curated storage (<see cref="CuratedLayout.ModelOutput"/>), for the controller and `finsam sql`.</summary>
    public static IReadOnlyList<string> Outputs { get; } = [ModelProject.KpiModel, ModelProject.KpiCatalogModel, ModelProject.QualityModel, ModelProject.PlacesModel];

    private readonly WorkFolderLock _workLock;

    private ModelBuild(ModelProject project, DuckDbSession session, IReadOnlyList<AssertionFailure> failures, CuratedCache.SyncResult sync, string? perFederation,
        WorkFolderLock workLock)
    {
        IncrementalSummary = perFederation;
        _workLock = workLock;
        Project = project;
        Session = session;
        AssertionFailures = failures;
        CacheSync = sync;
    }

    public ModelProject Project { get; }
    public DuckDbSession Session { get; }
    public IReadOnlyList<AssertionFailure> AssertionFailures { get; }
    public CuratedCache.SyncResult CacheSync { get; }

    /// <summary>What the build computed and kept of the models built per federation (<see cref="FederationModels.Keep"/>) and per year
    /// (<see cref="YearModels"/>), for the log; null without such models.</summary>
    public string? IncrementalSummary { get; }

    /// <summary>Builds; the work folder is this build's until it is disposed (<see cref="WorkFolderLock"/>).</summary>
    public static async Task<ModelBuild> RunAsync(IBlobStore store, ModelOptions options, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var workLock = await WorkFolderLock.AcquireAsync(options.WorkFolder, progress, ct);
        try
        {
            return await RunLockedAsync(store, options, workLock, progress, ct);
        }
        catch
        {
            workLock.Dispose();
            throw;
        }
    }

    private static async Task<ModelBuild> RunLockedAsync(IBlobStore store, ModelOptions options, WorkFolderLock workLock, IProgress<string>? progress, CancellationToken ct)
    {
        var project = ModelProject.Load(options.QueriesFolder);
        var cache = new CuratedCache(store, options.CacheFolder);
        CuratedCache.SyncResult sync;
        // Compaction has a database of its own, closed before the models run, so that what it read
        // does not stay in DuckDB's memory beside the models.
        using (var compaction = new DuckDbSession(options))
        {
            try
            {
                sync = await cache.SyncAsync(compaction, progress, ct);
            }
            catch (DuckDB.NET.Data.DuckDBException e)
            {
                throw Failure("Compacting the curated data failed", e, compaction);
            }
        }
        progress?.Report($"Cache: {sync}.");
        var session = new DuckDbSession(options);
        try
        {
            var byFederation = FederationModels.Plan(session, options.ByFederationDatabase, project, cache, progress);
            // First the models built per federation, over the data of the federations whose rows changed, and every model that
            // reads no curated data (those they may read); the other federations' rows are kept from the last build.
            var perFederation = project.Models.Where(m => m.PerFederation || !m.ReadsCurated).ToList();
            try
            {
                SourceViews.Create(session, cache, project.Root, byFederation.Changed);
            }
            catch (Exception e) when (e is not ModelException)
            {
                throw Failure("Reading the curated data and reference files failed", e, session);
            }
            foreach (var macros in project.Macros) Run(session, macros, macros.Sql);
            foreach (var model in perFederation) Build(session, model, progress, ct);
            // The assertions checked per federation, over the rows just computed: the kept rows were checked when they were.
            var failures = Check(session, project.Assertions.Where(a => a.PerFederation));
            string? kept;
            try
            {
                kept = byFederation.Keep(session, passed: failures.Count == 0);
            }
            catch (Exception e) when (e is not ModelException)
            {
                throw Failure("Keeping the rows of the models built per federation failed", e, session);
            }
            if (kept is not null) progress?.Report(kept);
            try
            {
                SourceViews.CreateCurated(session, cache);
                byFederation.ViewOverEveryFederation(session);
            }
            catch (Exception e) when (e is not ModelException)
            {
                throw Failure("Reading the curated data failed", e, session);
            }
            var byYear = new YearModels(project, cache, byFederation);
            foreach (var model in project.Models.Except(perFederation))
            {
                if (model.PerYear) Build(session, model, progress, ct, byYear);
                else Build(session, model, progress, ct);
            }
            if (byYear.Summary is { } years) progress?.Report(years);
            try
            {
                byFederation.Seal(session);
            }
            catch (Exception e) when (e is not ModelException)
            {
                throw Failure("Keeping the rows of the models built per federation and per year failed", e, session);
            }
            failures.AddRange(Check(session, project.Assertions.Where(a => !a.PerFederation)));
            var summary = string.Join(' ', new[] { kept, byYear.Summary }.OfType<string>());
            return new ModelBuild(project, session, failures, sync, summary.Length > 0 ? summary : null, workLock);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Writes kpi, kpi_catalog, quality and places as Parquet, sorted, to curated/models/.</summary>
    public async Task<IReadOnlyList<string>> SaveOutputsAsync(IBlobStore store, string workFolder, CancellationToken ct = default)
    {
        var folder = Path.Combine(workFolder, "outputs");
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var output in Outputs)
        {
            var file = Path.Combine(folder, output + ".parquet");
            Session.Execute($"copy (select * from {output} order by all) to '{DuckDbSession.Quote(file)}' (format parquet)");
            var name = CuratedLayout.ModelOutput(output);
            await store.WriteAsync(Containers.Curated, name, await File.ReadAllBytesAsync(file, ct), WriteCondition.Overwrite, ct);
            written.Add($"{Containers.Curated}/{name}");
        }
        return written;
    }

    private static void Build(DuckDbSession session, SqlModel model, IProgress<string>? progress, CancellationToken ct, YearModels? byYear = null)
    {
        ct.ThrowIfCancellationRequested();
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (byYear is null) Run(session, model, $"create or replace table {model.Name} as\n{model.Sql}");
        else Run(session, model, () => byYear.Build(session, model));
        progress?.Report($"built {model.Layer}/{model.Name} in {started.Elapsed.TotalSeconds:F1} s");
    }

    private static void Run(DuckDbSession session, SqlModel model, string sql) => Run(session, model, () => session.Execute(sql));

    /// <summary>Runs a step of <paramref name="model"/>; an error says which model it was, in plain words.</summary>
    private static void Run(DuckDbSession session, SqlModel model, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is not ModelException)
        {
            throw Failure(model.RelativePath, e, session);
        }
    }

    /// <summary>A build error in plain words; running out of memory says which setting to raise.</summary>
    private static ModelException Failure(string where, Exception e, DuckDbSession session)
    {
        var message = e.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase)
            ? $"{e.Message.Split('\n')[0]} DuckDB's memory limit ({session.MemoryLimit}) is too small for this much data: run again with a higher --memory-limit (e.g. 2GB); docs/benchmarks.md gives sizes."
            : e.Message;
        return new ModelException($"{where}: {message}", e);
    }

    /// <summary>Runs the assertions; those that return rows fail.</summary>
    private static List<AssertionFailure> Check(DuckDbSession session, IEnumerable<SqlModel> assertions)
    {
        var failures = new List<AssertionFailure>();
        foreach (var assertion in assertions)
        {
            var rows = Query(session, assertion);
            if (rows.Rows.Count > 0) failures.Add(new AssertionFailure(assertion.Name, assertion.RelativePath, rows));
        }
        return failures;
    }

    private static QueryResult Query(DuckDbSession session, SqlModel model)
    {
        try
        {
            return session.Query(model.Sql);
        }
        catch (Exception e)
        {
            throw new ModelException($"{model.RelativePath}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        _workLock.Dispose();
    }
}
