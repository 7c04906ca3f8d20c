using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// The yearly rows of one version's member kpi.parquet and its catalog, grouped the way Kolada answers: one entry per
/// KPI (with its dimension, written <c>kpi.dimension</c>), place and year, with a value per gender.
/// </summary>
internal sealed class MemberKpiTable
{
    /// <summary>Every entry in Kolada's order, and indexed by KPI (without its dimension) and by place: a request reads its own entries only.</summary>
    private readonly ILookup<string, KoladaData> _byKpi;
    private readonly ILookup<string, KoladaData> _byPlace;

    private MemberKpiTable(int version, DateTimeOffset created, List<KoladaData> data, IReadOnlyList<KoladaKpi> catalog, IReadOnlyList<KoladaMunicipality> scopes,
        IReadOnlyList<KoladaGroup> groups)
    {
        Version = version;
        Created = created;
        var ordered = data.OrderBy(d => d.Kpi, StringComparer.Ordinal).ThenBy(d => d.Municipality, StringComparer.Ordinal).ThenBy(d => d.Period).ToList();
        _byKpi = ordered.ToLookup(d => BaseId(d.Kpi), StringComparer.Ordinal);
        _byPlace = ordered.ToLookup(d => d.Municipality, StringComparer.Ordinal);
        Catalog = catalog;
        Scopes = scopes;
        Groups = groups;
    }

    public int Version { get; }
    /// <summary>When the release was committed (its manifest's created).</summary>
    public DateTimeOffset Created { get; }
    public IReadOnlyList<KoladaKpi> Catalog { get; }
    public IReadOnlyList<KoladaMunicipality> Scopes { get; }
    /// <summary>Each county and all federations with their federations (Kolada's municipality_groups); none from a release without places.parquet.</summary>
    public IReadOnlyList<KoladaGroup> Groups { get; }

    /// <summary>The entries of the KPIs (a plain id: every dimension; <c>kpi.dimension</c>: that one), places and years asked for.</summary>
    public IReadOnlyList<KoladaData> Select(KoladaQuery query)
    {
        var candidates = query.Kpis.Count > 0
            ? query.Kpis.Distinct(StringComparer.Ordinal).SelectMany(k => _byKpi[BaseId(k)].Where(d => d.Kpi == k || d.Kpi.StartsWith(k + ".", StringComparison.Ordinal)))
            : query.Municipalities.Distinct(StringComparer.Ordinal).SelectMany(m => _byPlace[m]);
        return candidates
            .Where(d => query.Municipalities.Count == 0 || query.Municipalities.Contains(d.Municipality))
            .Where(d => query.Years.Count == 0 || query.Years.Contains(d.Period))
            .Distinct<KoladaData>(ReferenceEqualityComparer.Instance)
            .OrderBy(d => d.Kpi, StringComparer.Ordinal).ThenBy(d => d.Municipality, StringComparer.Ordinal).ThenBy(d => d.Period)
            .ToList();
    }

    private static string BaseId(string kpi) => kpi.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? kpi[..dot] : kpi;

    public static async Task<MemberKpiTable> LoadAsync(DatasetVersions versions, Manifest manifest, ModelOptions options, CancellationToken ct)
    {
        var folder = Path.Combine(options.WorkFolder, "read-api", $"kpi-v{manifest.Version}-{Guid.NewGuid():n}");
        Directory.CreateDirectory(folder);
        try
        {
            var kpiPath = Path.Combine(folder, PublishedLayout.KpiFile);
            var catalogPath = Path.Combine(folder, PublishedLayout.KpiCatalogFile);
            await File.WriteAllBytesAsync(kpiPath, await versions.ReadFileAsync(manifest, PublishedLayout.KpiFile, ct), ct);
            await File.WriteAllBytesAsync(catalogPath, await versions.ReadFileAsync(manifest, PublishedLayout.KpiCatalogFile, ct), ct);
            // Its own folders: a build may be running in the work folder beside it.
            using var session = new DuckDbSession(options with { Threads = 1, WorkFolder = folder });
            var data = ReadData(session, kpiPath);
            var catalog = ReadCatalog(session, catalogPath, kpiPath, manifest.Created.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            if (!manifest.Outputs.Any(o => o.Name == PublishedLayout.PlacesFile))
                return new MemberKpiTable(manifest.Version, manifest.Created, data, catalog, Places(session, kpiPath), []);
            var placesPath = Path.Combine(folder, PublishedLayout.PlacesFile);
            await File.WriteAllBytesAsync(placesPath, await versions.ReadFileAsync(manifest, PublishedLayout.PlacesFile, ct), ct);
            return new MemberKpiTable(manifest.Version, manifest.Created, data, catalog, Places(session, kpiPath, placesPath), ReadGroups(session, placesPath));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<KoladaData> ReadData(DuckDbSession session, string path)
    {
        var columns = Columns(session, path);
        string Optional(string column, string fallback) => columns.Contains(column) ? column : fallback;
        var suppressed = $"(coalesce({Optional("suppressed", "false")}, false) or coalesce({Optional("suppression", "''")}, '') <> '')";
        // Suppressed cells: value null and the one marker the member files print, "..", whatever the reason (older files
        // named it); otherwise the KPI's own status.
        var rows = session.Query($"""
            select
                case when dimension = '' then kpi_id else kpi_id || '.' || dimension end as kpi,
                scope_id, cast(period as integer) as year, kon,
                case when {suppressed} then null else value end as value,
                case when {suppressed} then '{Marker.Suppressed}' else coalesce({Optional("status", "''")}, '') end as status,
                coalesce({Optional("federations", "1")}, 1) as federations
            from read_parquet('{DuckDbSession.Quote(path)}')
            where period_type = 'ar'
            order by kpi, scope_id, year, case kon when 'T' then 0 when 'K' then 1 else 2 end
            """).Rows;
        return rows
            .GroupBy(r => ((string)r[0]!, (string)r[1]!, (int)r[2]!))
            .Select(g => new KoladaData(g.Key.Item1, g.Key.Item2, g.Key.Item3,
                g.Select(r => new KoladaValue(Convert.ToInt32(r[6]), (string)r[3]!, (string)r[5]!, r[4] is decimal v ? Publishing.Formats.CellText.Normalise(v) : null)).ToList()))
            .ToList();
    }

    /// <summary>
    /// The catalog's KPIs but those given by month only (nya_manad, avslutade_manad): Kolada's period is a year, so the API
    /// serves yearly values, and a KPI it lists is one it serves. The monthly ones are in the member files.
    /// </summary>
    /// <param name="published">The release's date, every KPI's publication_date.</param>
    private static List<KoladaKpi> ReadCatalog(DuckDbSession session, string path, string kpiPath, string published) =>
        session.Query($"""
            select kpi_id, titel_sv, definition, title_en, unit, by_gender, tema from read_parquet('{DuckDbSession.Quote(path)}')
            where kpi_id not in (select kpi_id from read_parquet('{DuckDbSession.Quote(kpiPath)}') group by kpi_id having bool_and(period_type = 'manad'))
            order by kpi_id
            """).Rows
            .Select(r => new KoladaKpi((string)r[0]!, (string)r[1]!, (string?)r[2] ?? "", (string?)r[3] ?? "", (string?)r[4] ?? "",
                (string?)r[5] == "ja" ? 1 : 0, (string?)r[6] ?? "", "A", false, published))
            .ToList();

    /// <summary>
    /// Every place with a value: federations (F), counties (L) and all federations (A), titled by their names (places.parquet;
    /// a release made before it by its KPI table's scope_namn, or its id).
    /// </summary>
    private static List<KoladaMunicipality> Places(DuckDbSession session, string kpiPath, string? placesPath = null)
    {
        var kpi = $"read_parquet('{DuckDbSession.Quote(kpiPath)}')";
        var names = placesPath is not null
            ? $"(select distinct scope, scope_id, scope_namn from read_parquet('{DuckDbSession.Quote(placesPath)}'))"
            : Columns(session, kpiPath).Contains("scope_namn") ? $"(select distinct scope, scope_id, scope_namn from {kpi})"
            : "(select null as scope, null as scope_id, null as scope_namn)";
        return session.Query($"""
                select k.scope, k.scope_id, coalesce(any_value(n.scope_namn), case when k.scope = 'alla' then 'Alla förbund' else k.scope_id end)
                from (select distinct scope, scope_id from {kpi}) as k
                left join {names} as n on n.scope = k.scope and n.scope_id = k.scope_id
                group by k.scope, k.scope_id order by k.scope, k.scope_id
                """).Rows
            .Select(r => new KoladaMunicipality((string)r[1]!, (string)r[2]!, (string)r[0]! switch { "forbund" => "F", "lan" => "L", _ => "A" }))
            .ToList();
    }

    /// <summary>Each county, then all federations, with their federations by name (Kolada's member_id and member_title).</summary>
    private static List<KoladaGroup> ReadGroups(DuckDbSession session, string placesPath) =>
        session.Query($"""
                select scope, scope_id, scope_namn, federation_id, federation_namn from read_parquet('{DuckDbSession.Quote(placesPath)}')
                where scope <> 'forbund' order by case scope when 'lan' then 0 else 1 end, scope_id, federation_id
                """).Rows
            .GroupBy(r => ((string)r[1]!, (string)r[2]!))
            .Select(g => new KoladaGroup(g.Key.Item1, g.Key.Item2, g.Select(r => new KoladaGroupMember((string)r[3]!, (string)r[4]!)).ToList()))
            .ToList();

    private static HashSet<string> Columns(DuckDbSession session, string path) =>
        session.Query($"select column_name from (describe select * from read_parquet('{DuckDbSession.Quote(path)}'))").Rows.Select(r => (string)r[0]!).ToHashSet();
}
