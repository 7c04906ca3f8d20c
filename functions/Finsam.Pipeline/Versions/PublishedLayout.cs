using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Versions;

/// <summary>
/// Where published versions live in the `published` container:
/// {dataset}/v{N}/… (immutable files), {dataset}/v{N}/manifest.json (its presence commits version N),
/// {dataset}/v{N}/_content.sha256 (which content an attempt at N is writing) and
/// {dataset}/latest.json (the pointer readers follow, moved with If-Match).
/// </summary>
public static class PublishedLayout
{
    /// <summary>The members' dataset: small-count protected KPIs, catalog, findings, workbook and report.</summary>
    public const string KpiDataset = "kpi";

    /// <summary>The controller's dataset: the exact, pseudonymised data and KPIs, and a DuckDB database over them.</summary>
    public const string CuratedDataset = "curated";

    public static IReadOnlyList<string> Datasets { get; } = [KpiDataset, CuratedDataset];

    /// <summary>The KPI table of a version, in both datasets (members: protected; controller: exact).</summary>
    public const string KpiFile = ModelProject.KpiModel + ".parquet";

    /// <summary>The KPI catalog of a version.</summary>
    public const string KpiCatalogFile = ModelProject.KpiCatalogModel + ".parquet";

    /// <summary>The data-quality findings of a version.</summary>
    public const string QualityFile = ModelProject.QualityModel + ".parquet";

    /// <summary>The places of a version (federations, counties, all federations) with their names and federations.</summary>
    public const string PlacesFile = ModelProject.PlacesModel + ".parquet";

    /// <summary>The members' report of a version, an HTML file that opens offline.</summary>
    public const string ReportFile = "rapport.html";

    /// <summary>The members' workbook of a version, one sheet per theme.</summary>
    public const string WorkbookFile = "nyckeltal.xlsx";

    /// <summary>The Parquet file of a table, and its two CSV files: for tools, and for Swedish Excel.</summary>
    public static (string Parquet, string Csv, string SwedishCsv) TableFiles(string table) => ($"{table}.parquet", $"{table}.csv", $"{table}_sv.csv");

    public const string ManifestFile = "manifest.json";
    public const string ContentClaimFile = "_content.sha256";
    public const string LatestPointer = "latest";

    public static string VersionFolder(string dataset, int version) => $"{dataset}/v{version}/";
    public static string File(string dataset, int version, string name) => VersionFolder(dataset, version) + name;
    public static string Manifest(string dataset, int version) => File(dataset, version, ManifestFile);
    public static string ContentClaim(string dataset, int version) => File(dataset, version, ContentClaimFile);
    public static string Pointer(string dataset, string pointer) => $"{dataset}/{pointer}.json";

    /// <summary>The version number of a blob name under {dataset}/, or null when it is not inside a version folder.</summary>
    public static int? VersionOf(string dataset, string name)
    {
        var prefix = dataset + "/v";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var end = name.IndexOf('/', prefix.Length);
        return end > prefix.Length && int.TryParse(name.AsSpan(prefix.Length, end - prefix.Length), System.Globalization.NumberStyles.None, null, out var n) && n > 0 ? n : null;
    }

    /// <summary>The pointer name of a blob directly under {dataset}/ ending in .json ("latest"), or null.</summary>
    public static string? PointerOf(string dataset, string name)
    {
        var prefix = dataset + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)) return null;
        var rest = name[prefix.Length..^".json".Length];
        return rest.Length > 0 && !rest.Contains('/') ? rest : null;
    }
}
