using System.Reflection;
using System.Security.Cryptography;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing.Formats;
using Finsam.Pipeline.Publishing.Report;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Publishing;

public sealed record PublishResult(IReadOnlyList<CommitResult> Datasets, IReadOnlyDictionary<string, RetentionResult> Retention);

/// <summary>
/// Publishes a model build as two datasets: <c>kpi</c> for members (small-count protected KPI, catalog and
/// quality files as Parquet, CSV for Swedish Excel and for tools, an .xlsx workbook and a self-contained HTML
/// report) and <c>curated</c> for the controller (the exact, pseudonymised data, reference tables and KPIs,
/// and a DuckDB database file with views over them).
/// </summary>
/// <param name="participantYears">Which years' participant counts a member release publishes (the setting
/// <c>Finsam:Publishing:ParticipantYears</c>).</param>
public sealed class Publisher(IBlobStore store, TimeProvider? clock = null, ParticipantYears participantYears = ParticipantYears.YearToDate)
{
    public static string PipelineVersion { get; } =
        typeof(Publisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <param name="datasets">Which datasets to publish (default both): the scheduled build publishes <c>curated</c>, a member
    /// release publishes <c>kpi</c>.</param>
    /// <param name="sourceFingerprint">The <see cref="SourceState"/> fingerprint taken before the build, recorded with each version
    /// so that the next scheduled run with nothing new ends at once.</param>
    public async Task<PublishResult> PublishAsync(ModelBuild build, ModelOptions options, RetentionPolicy? retention = null, IProgress<string>? progress = null,
        CancellationToken ct = default, IReadOnlyList<string>? datasets = null, string? sourceFingerprint = null)
    {
        if (build.AssertionFailures.Count > 0)
            throw new PublishingException($"Nothing was published: {build.AssertionFailures.Count} assertion(s) failed ({string.Join(", ", build.AssertionFailures.Select(f => f.RelativePath))}). Fix the data or the models and build again.");
        var folder = Path.Combine(options.WorkFolder, "publish", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            var session = build.Session;
            progress?.Report("reading the inputs of the build");
            var inputs = await ReadInputsAsync(session, ct);
            var models = Sources(build.Project.Root, "queries");
            var references = Sources(Path.Combine(options.CacheFolder, Containers.Reference), Containers.Reference);
            var quality = ReadQualitySummary(session);
            DisclosureAuditResult? audit = null;

            var committer = new VersionCommitter(store, clock);
            var results = new List<CommitResult>();
            var removed = new Dictionary<string, RetentionResult>();
            foreach (var dataset in datasets ?? PublishedLayout.Datasets)
            {
                ct.ThrowIfCancellationRequested();
                var versions = new DatasetVersions(store);
                var latest = await versions.LatestCommittedAsync(await versions.ReadStateAsync(dataset, ct), ct);
                CommitResult result;
                if (TrustUnchangedSources && latest is not null && SameSources(latest, inputs, models, references))
                {
                    // Same inputs, models, reference data and code give the same bytes: no need to make them again.
                    await committer.AdvancePointerAsync(dataset, latest.Version, ct);
                    result = new CommitResult(dataset, latest.Version, false, latest);
                }
                else
                {
                    if (dataset == PublishedLayout.KpiDataset && audit is null)
                    {
                        // Every earlier member release is known to an attacker (someone may have kept one that retention
                        // removed since): its published cells are constants of the audit, and of the choice of complements.
                        var records = new ReleaseRecords(store);
                        await records.KeepAllAsync(ct);
                        var earlier = await records.DownloadKpiFilesAsync(Path.Combine(folder, "earlier-releases"), ct);
                        progress?.Report($"applying small-count protection and auditing it against {earlier.Count} earlier release(s)");
                        audit = PublishedTables.Create(session, build.Project.Root, earlierReleaseKpiParquets: earlier, participantYears, progress);
                        progress?.Report($"disclosure audit: {(audit.Passed ? "passed" : "FAILED")}, {audit.SuppressedCells} suppressed cell(s), " +
                                         $"smallest interval {audit.SmallestIntervalWidth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unbounded"}, {audit.Elapsed.TotalSeconds:F1} s" +
                                         (audit.NotZeroGuessNarrowed is { } guessed ? $"; an attacker who guesses that no hidden count is zero narrows {guessed} to within 1–4" : ""));
                        if (audit.TotalsHidden.Count > 0)
                            progress?.Report($"{audit.TotalsHidden.Count} total(s) that members lead with are hidden, because publishing any of them lets a count " +
                                             $"from 1 to 4 be worked out: {string.Join(", ", audit.TotalsHidden)}");
                        if (audit.Passed && participantYears == ParticipantYears.CompleteYears
                            && Convert.ToInt64(session.Query($"select count(*) from kpi_suppression where suppression = '{Suppression.IncompleteYear}'").Rows[0][0]) is > 0 and var withheld)
                            progress?.Report($"{withheld} row(s) of participant counts are withheld until their year is complete (the release publishes complete years only)");
                        if (audit.ComplementRowsNotTried > 0)
                            progress?.Report($"{audit.ComplementRowsNotTried} row(s) hidden to protect others were not tried for publishing again (the " +
                                             $"protection's budget of work was spent; none shows a total members lead with): they stay hidden");
                    }
                    progress?.Report($"{dataset}: writing the files");
                    var datasetFolder = Directory.CreateDirectory(Path.Combine(folder, dataset)).FullName;
                    var release = dataset == PublishedLayout.KpiDataset
                        ? KpiRelease(session, datasetFolder, inputs, models, references, quality, audit!, participantYears, progress)
                        : CuratedRelease(session, build.Project.CuratedRelease, datasetFolder, inputs, models, references, quality);
                    result = await committer.CommitAsync(release, progress, ct);
                    if (dataset == PublishedLayout.KpiDataset)
                    {
                        // The reasons stay with the controller: in the release's record, which members cannot read.
                        var reasons = Parquet(session, datasetFolder, ReleaseRecords.ReasonsFile, PublishedTables.SuppressionReasonsSelect);
                        await new ReleaseRecords(store).KeepAsync(result.Manifest, reasons.Bytes, ct);
                    }
                }
                if (sourceFingerprint is not null) await new SourceState(store).RecordAsync(dataset, result.Version, sourceFingerprint, ct);
                results.Add(result);
                removed[dataset] = await RetainAsync(dataset, retention, ct);
            }
            return new PublishResult(results, removed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// When true (the default), a dataset whose latest version was made from the same input files, models,
    /// reference files and pipeline version is reported unchanged without making its files again. Tests turn
    /// it off to check that the files themselves come out byte for byte the same.
    /// </summary>
    public bool TrustUnchangedSources { get; init; } = true;

    private static bool SameSources(Manifest latest, IReadOnlyList<ManifestInput> inputs, IReadOnlyList<ManifestSource> models, IReadOnlyList<ManifestSource> references) =>
        latest.PipelineVersion == PipelineVersion
        && latest.Inputs.Select(i => (i.Federation, i.Period, i.Kind, i.Sha256)).SequenceEqual(inputs.Select(i => (i.Federation, i.Period, i.Kind, i.Sha256)))
        && latest.Models.SequenceEqual(models)
        && latest.References.SequenceEqual(references);

    private static DatasetRelease KpiRelease(DuckDbSession session, string folder, IReadOnlyList<ManifestInput> inputs,
        IReadOnlyList<ManifestSource> models, IReadOnlyList<ManifestSource> references, QualitySummary quality,
        DisclosureAuditResult audit, ParticipantYears participantYears, IProgress<string>? progress)
    {
        if (!audit.Passed)
            throw new PublishingException("The member files were not published: the small-count audit failed. " + audit.Describe());
        const string kpi = "select * exclude (row_id) from kpi_published order by row_id";
        const string catalog = "select * from kpi_catalog order by kpi_id";
        const string qualitySql = "select * from quality_published order by all";
        const string places = "select * from places order by scope, scope_id, federation_id";
        var files = new List<PublicationFile>();
        foreach (var (name, select) in new[] { (ModelProject.KpiModel, kpi), (ModelProject.KpiCatalogModel, catalog), (ModelProject.QualityModel, qualitySql), (ModelProject.PlacesModel, places) })
        {
            var (parquetFile, csvFile, swedishCsvFile) = PublishedLayout.TableFiles(name);
            var parquet = Parquet(session, folder, parquetFile, select);
            var table = session.Query(select);
            files.Add(parquet);
            files.Add(new PublicationFile(csvFile, CsvExport.Write(table, CsvExport.Dialect.Tools), table.Rows.Count, parquet.Schema));
            files.Add(new PublicationFile(swedishCsvFile, CsvExport.Write(table, CsvExport.Dialect.SwedishExcel), table.Rows.Count, parquet.Schema));
        }
        progress?.Report("kpi: Parquet and CSV written; writing the workbook");
        files.Add(new PublicationFile(PublishedLayout.WorkbookFile, KpiWorkbook.Write(session)));
        var report = ReportData.Read(session, inputs) with { CompleteYearsOnly = participantYears == ParticipantYears.CompleteYears };
        return new DatasetRelease(PublishedLayout.KpiDataset, files,
            version => [new PublicationFile(PublishedLayout.ReportFile, HtmlReport.Render(report, PublishedLayout.KpiDataset, version), VersionDependent: true)],
            inputs, models, references, quality, PipelineVersion) { DisclosureAudit = audit.ToManifest() };
    }

    /// <summary>The controller's snapshot: exact values, pseudonymised rows, reference tables, and a DuckDB file with views.</summary>
    private static DatasetRelease CuratedRelease(DuckDbSession session, IReadOnlyList<SqlModel> tables, string folder, IReadOnlyList<ManifestInput> inputs,
        IReadOnlyList<ManifestSource> models, IReadOnlyList<ManifestSource> references, QualitySummary quality)
    {
        var files = tables.Select(t => Parquet(session, folder, t.Name + ".parquet", t.Sql)).ToList();
        files.Add(new PublicationFile(ControllerDatabase.FileName, ControllerDatabase.Create(folder, tables.Select(t => t.Name).ToList())));
        return new DatasetRelease(PublishedLayout.CuratedDataset, files, _ => [], inputs, models, references, quality, PipelineVersion);
    }

    private static PublicationFile Parquet(DuckDbSession session, string folder, string name, string select)
    {
        var path = Path.Combine(folder, name);
        session.Execute($"copy ({select}) to '{DuckDbSession.Quote(path)}' (format parquet, compression zstd)");
        // The row count from the file's own metadata: no second run of the query.
        var rows = Convert.ToInt64(session.Query($"select count(*) from read_parquet('{DuckDbSession.Quote(path)}')").Rows[0][0]);
        return new PublicationFile(name, File.ReadAllBytes(path), rows, Schema(session, select));
    }

    private static List<ColumnSchema> Schema(DuckDbSession session, string select) =>
        session.Query($"describe {select}").Rows.Select(r => new ColumnSchema((string)r[0]!, (string)r[1]!)).ToList();

    /// <summary>
    /// The landing files whose rows are in the curated data, with kind and ingestion time from the ingestion log; and those
    /// of a month whose export had no rows (its partition is there, its rows are not): the latest accepted file of its kind
    /// in the ingestion log. Such a month counts as delivered in the models, so a new empty export changes the KPIs' status.
    /// </summary>
    private async Task<List<ManifestInput>> ReadInputsAsync(DuckDbSession session, CancellationToken ct)
    {
        var log = (await new IngestionLog(store).AllEntriesAsync(ct))
            .GroupBy(e => e.Sha256)
            .ToDictionary(g => g.Key, g => g.Where(e => e.Status == IngestionLog.Accepted).DefaultIfEmpty(g.First()).MinBy(e => e!.IngestedAt)!);
        var files = session.Query("""
            select federation, period, 'ledger' as family, source_sha256 from src_ledger group by all
            union select federation, period, 'ledger', source_sha256 from src_opening_balances group by all
            union select federation, period, 'participants', source_sha256 from src_registrations group by all
            union select federation, period, 'volumes', source_sha256 from src_volumes group by all
            order by all
            """).Rows;
        var inputs = files.Select(r =>
        {
            var sha = (string)r[3]!;
            var entry = log.GetValueOrDefault(sha);
            return new ManifestInput((string)r[0]!, (string)r[1]!, entry?.Family ?? (string)r[2]!, sha, entry?.IngestedAt);
        }).DistinctBy(i => (i.Federation, i.Period, i.Sha256)).ToList();
        var withRows = files.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToHashSet();
        var emptyMonths = session.Query("""
            select distinct federation, period, case dataset when 'registrations' then 'participants' when 'volumes' then 'volumes' else 'ledger' end
            from src_partitions where dataset in ('ledger', 'opening_balances', 'registrations', 'volumes')
            order by all
            """).Rows.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)).Where(m => !withRows.Contains(m)).ToList();
        foreach (var (federation, period, family) in emptyMonths)
        {
            var current = (await new IngestionLog(store).EntriesAsync(federation, period, ct))
                .Where(e => e.Family == family && e.Status == IngestionLog.Accepted).MaxBy(e => e.IngestedAt);
            if (current is not null) inputs.Add(new ManifestInput(federation, period, family, current.Sha256, current.IngestedAt));
        }
        return inputs.OrderBy(i => i.Federation, StringComparer.Ordinal).ThenBy(i => i.Period, StringComparer.Ordinal)
            .ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Sha256, StringComparer.Ordinal).ToList();
    }

    /// <summary>SHA-256 of every file under a folder, named "{prefix}/{relative path}".</summary>
    private static List<ManifestSource> Sources(string root, string prefix) =>
        !Directory.Exists(root) ? [] : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(IsSource)
            .Select(f => new ManifestSource($"{prefix}/{Path.GetRelativePath(root, f).Replace('\\', '/')}",
                Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))))
            .OrderBy(s => s.Path, StringComparer.Ordinal).ToList();

    private static bool IsSource(string name) => name.EndsWith(".sql", StringComparison.Ordinal) || name.EndsWith(".csv", StringComparison.Ordinal);

    /// <summary>
    /// The latest versions of the datasets asked for, when each was made from sources with this fingerprint
    /// (<see cref="SourceState"/>): nothing changed, nothing to build. Retention is applied as after a publish. Otherwise null.
    /// </summary>
    public async Task<PublishResult?> UnchangedAsync(string sourceFingerprint, RetentionPolicy? retention = null, CancellationToken ct = default,
        IReadOnlyList<string>? datasets = null)
    {
        var versions = new DatasetVersions(store);
        var state = new SourceState(store);
        var latest = new List<Manifest>();
        foreach (var dataset in datasets ?? PublishedLayout.Datasets)
        {
            if (await versions.LatestCommittedAsync(await versions.ReadStateAsync(dataset, ct), ct) is not { } manifest) return null;
            if (!await state.MatchesAsync(dataset, manifest.Version, sourceFingerprint, ct)) return null;
            latest.Add(manifest);
        }
        var removed = new Dictionary<string, RetentionResult>();
        foreach (var manifest in latest) removed[manifest.Dataset] = await RetainAsync(manifest.Dataset, retention, ct);
        return new PublishResult(latest.Select(m => new CommitResult(m.Dataset, m.Version, false, m)).ToList(), removed);
    }

    /// <summary>Retention, after every member release is recorded: a release retention removes stays known to the audit.</summary>
    private async Task<RetentionResult> RetainAsync(string dataset, RetentionPolicy? retention, CancellationToken ct)
    {
        if (dataset == PublishedLayout.KpiDataset) await new ReleaseRecords(store).KeepAllAsync(ct);
        return await new Retention(store, clock).ApplyAsync(dataset, retention ?? RetentionPolicy.KeepEverything, ct);
    }

    private static QualitySummary ReadQualitySummary(DuckDbSession session)
    {
        var rules = session.Query("select rule_id, severity, count(*) from quality group by all order by rule_id, severity").Rows
            .Select(r => new QualityRuleCount((string)r[0]!, (string)r[1]!, Convert.ToInt64(r[2]))).ToList();
        return new QualitySummary(rules.Where(r => r.Severity == "error").Sum(r => r.Findings), rules.Where(r => r.Severity == "warning").Sum(r => r.Findings), rules);
    }
}
