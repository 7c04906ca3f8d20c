using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Versions;

/// <summary>
/// A KPI whose value or status differs between two versions: changed, added (no old row) or removed (no new row).
/// The statuses are '', 'preliminar' or 'brist' (empty for versions published before statuses existed).
/// </summary>
public sealed record KpiChange(string KpiId, string Scope, string ScopeId, string Period, string Kon, string Dimension,
    decimal? OldValue, decimal? NewValue, string OldSuppression, string NewSuppression, string Change, string OldStatus = "", string NewStatus = "");

/// <summary>Compares the kpi.parquet of two committed versions of a dataset (kpi: member values; curated: exact values).</summary>
public sealed class VersionDiff(IBlobStore store)
{
    public async Task<(Manifest Old, Manifest New, IReadOnlyList<KpiChange> Changes)> CompareAsync(
        string dataset, string oldVersion, string newVersion, ModelOptions options, CancellationToken ct = default)
    {
        var versions = new DatasetVersions(store);
        var old = await versions.ResolveAsync(dataset, oldVersion, ct);
        var @new = await versions.ResolveAsync(dataset, newVersion, ct);
        var folder = Path.Combine(options.WorkFolder, "diff", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            var oldPath = Path.Combine(folder, "old.parquet");
            var newPath = Path.Combine(folder, "new.parquet");
            await File.WriteAllBytesAsync(oldPath, await versions.ReadFileAsync(old, PublishedLayout.KpiFile, ct), ct);
            await File.WriteAllBytesAsync(newPath, await versions.ReadFileAsync(@new, PublishedLayout.KpiFile, ct), ct);
            // Its own folders: a build may be running in the work folder beside it.
            using var session = new DuckDbSession(options with { WorkFolder = folder });
            // Member files show one marker for a suppressed value (older ones named the reason: shown as the marker too);
            // the controller's snapshot says why.
            string Suppression(string path) =>
                dataset == PublishedLayout.CuratedDataset && HasColumn(session, path, "suppression") ? "suppression"
                : HasColumn(session, path, "suppressed") ? $"case when suppressed then '{Marker.Suppressed}' else '' end"
                : HasColumn(session, path, "suppression") ? $"case when suppression <> '' then '{Marker.Suppressed}' else '' end"
                : "''";
            string Read(string path) =>
                $"select kpi_id, scope, scope_id, period, kon, dimension, value, {Suppression(path)} as suppression, " +
                $"{(HasColumn(session, path, "status") ? "status" : "''")} as status from read_parquet('{DuckDbSession.Quote(path)}')";
            var rows = session.Query($"""
                with old_values as ({Read(oldPath)}),
                new_values as ({Read(newPath)})
                select
                    coalesce(n.kpi_id, o.kpi_id), coalesce(n.scope, o.scope), coalesce(n.scope_id, o.scope_id), coalesce(n.period, o.period),
                    coalesce(n.kon, o.kon), coalesce(n.dimension, o.dimension), o.value, n.value, coalesce(o.suppression, ''), coalesce(n.suppression, ''),
                    case when o.kpi_id is null then 'added' when n.kpi_id is null then 'removed' else 'changed' end,
                    coalesce(o.status, ''), coalesce(n.status, '')
                from old_values as o
                full outer join new_values as n
                    on n.kpi_id = o.kpi_id and n.scope = o.scope and n.scope_id = o.scope_id and n.period = o.period and n.kon = o.kon and n.dimension = o.dimension
                where o.kpi_id is null or n.kpi_id is null or o.value is distinct from n.value or o.suppression is distinct from n.suppression
                    or o.status is distinct from n.status
                order by 1, 2, 3, 4, 5, 6
                """).Rows;
            var changes = rows.Select(r => new KpiChange((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!,
                (decimal?)r[6], (decimal?)r[7], (string)r[8]!, (string)r[9]!, (string)r[10]!, (string)r[11]!, (string)r[12]!)).ToList();
            return (old, @new, changes);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool HasColumn(DuckDbSession session, string path, string column) =>
        session.Query($"select count(*) from (describe select * from read_parquet('{DuckDbSession.Quote(path)}')) where column_name = '{column}'").Rows[0][0] is long n && n > 0;
}
