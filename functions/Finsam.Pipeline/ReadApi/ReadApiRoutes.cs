using Microsoft.Extensions.Primitives;

namespace Finsam.Pipeline.ReadApi;

/// <summary>A request to the read API as either host receives it: the route's value, the query string, and its own URL without the query.</summary>
/// <param name="RouteValue">The route's one value: the data query's path, the ids, or the dataset (null when absent).</param>
/// <param name="Url">scheme://host/path-base/path, for the links to other pages.</param>
public sealed record ReadApiRequest(string? RouteValue, IReadOnlyList<KeyValuePair<string, string[]>> Query, string Url)
{
    /// <summary>From the parts of an ASP.NET Core request (both hosts have one: <c>request.Scheme, request.Host …</c>).</summary>
    public static ReadApiRequest From(string? routeValue, string scheme, string host, string pathBase, string path, IEnumerable<KeyValuePair<string, StringValues>> query) =>
        new(routeValue, query.Select(q => KeyValuePair.Create(q.Key, q.Value.Select(v => v ?? "").ToArray())).ToList(), $"{scheme}://{host}{pathBase}{path}");

    /// <summary>A parameter's first value, its name in any case (as ASP.NET Core's query collection reads it).</summary>
    public string? First(string name) =>
        Query.Where(q => string.Equals(q.Key, name, StringComparison.OrdinalIgnoreCase)).SelectMany(q => q.Value).FirstOrDefault();

    /// <summary>A parameter's first value when it is not empty.</summary>
    public string? Text(string name) => First(name) is { Length: > 0 } text ? text : null;
}

/// <summary>An answer: 200 with the page, 400 or 404 with <c>{"error": …}</c>.</summary>
public sealed record ReadApiAnswer(int Status, object Body);

/// <summary>The page asked for and how to link to another page of the same request.</summary>
public sealed record ReadApiPaging(int Page, int PerPage, Func<int, string> Url);

/// <summary>One route of the read API: its name (the Functions app's function name), its template under <c>/api/</c>, and what it reads.</summary>
/// <param name="Parameters">The query parameters the route reads besides paging, the release and the key.</param>
/// <param name="Paged">False for a route that reads no page and no release (versions/{dataset}: the key only).</param>
public sealed record ReadApiRoute(string Name, string Template, string[] Parameters,
    Func<KoladaApi, ReadApiRequest, ReadApiPaging, CancellationToken, Task<object>> Read, bool Paged = true);

/// <summary>
/// The members' read API, once for both hosts: the Functions app (whose functions name these templates) and
/// <c>finsam api</c> (which maps every route of <see cref="All"/>). Each route checks its parameters — one the API does not
/// know is refused with 400 naming it, never ignored, which would answer another question — reads the page, and links
/// to the others keeping a key given as <c>code=</c>.
/// </summary>
public static class ReadApiRoutes
{
    public const string DataV2 = "v2/data/{*query}";
    public const string KpiV2 = "v2/kpi/{ids?}";
    public const string MunicipalityV2 = "v2/municipality/{ids?}";
    public const string KpiGroupsV2 = "v2/kpi_groups/{ids?}";
    public const string DataV3 = "v3/data/{*query}";
    public const string KpiV3 = "v3/kpi/{ids?}";
    public const string MunicipalityV3 = "v3/municipality/{ids?}";
    public const string KpiGroupsV3 = "v3/kpi_groups/{ids?}";
    public const string MunicipalityGroupsV2 = "v2/municipality_groups/{ids?}";
    public const string MunicipalityGroupsV3 = "v3/municipality_groups/{ids?}";
    public const string OuV2 = "v2/ou/{ids?}";
    public const string OuV3 = "v3/ou/{ids?}";
    public const string VersionsOf = "versions/{dataset}";

    /// <summary>The function key's parameter, which every route takes.</summary>
    public const string KeyParameter = "code";

    /// <summary>What every paged route reads: paging, the release, and the function key.</summary>
    private static readonly string[] Common = ["page", "per_page", "version", KeyParameter];

    /// <summary>Kolada's filters of the KPI list (<see cref="KoladaKpiFilter"/>).</summary>
    private static readonly string[] KpiParameters = ["title", "description", "operating_area"];

    /// <summary>title, and the type of place under either of the names Kolada's clients send (type, region_type).</summary>
    private static readonly string[] PlaceParameters = ["title", "type", "region_type"];

    /// <summary>v2's data; from_date as in v3 but without the values deleted since, as v2 has no isdeleted (the JavaScript kolada client sends it on v2).</summary>
    public static readonly ReadApiRoute Data = new("KoladaData", DataV2, [.. KoladaQuery.QueryStringNames, "from_date"],
        async (api, r, p, ct) => r.Text("from_date") is { } from
            ? KoladaV3.AsV2(await api.DataChangedAsync(Query(r), Date(from), r.First("version"), p.Page, p.PerPage, p.Url, ct, deletions: false))
            : await ReadData(api, r, p, ct));
    public static readonly ReadApiRoute Kpi = new("KoladaKpi", KpiV2, KpiParameters, async (api, r, p, ct) => await ReadKpis(api, r, p, ct));
    public static readonly ReadApiRoute Municipality = new("KoladaMunicipality", MunicipalityV2, PlaceParameters, async (api, r, p, ct) => await ReadPlaces(api, r, p, ct));
    public static readonly ReadApiRoute KpiGroups = new("KoladaKpiGroups", KpiGroupsV2, ["title"], async (api, r, p, ct) => await ReadKpiGroups(api, r, p, ct));
    public static readonly ReadApiRoute DataVersion3 = new("KoladaDataV3", DataV3, [.. KoladaQuery.QueryStringNames, "from_date"],
        async (api, r, p, ct) => r.Text("from_date") is { } from
            ? KoladaV3.Page(await api.DataChangedAsync(Query(r), Date(from), r.First("version"), p.Page, p.PerPage, p.Url, ct), d => d)
            : KoladaV3.Page(await ReadData(api, r, p, ct), KoladaV3.Data));
    public static readonly ReadApiRoute KpiVersion3 = new("KoladaKpiV3", KpiV3, KpiParameters, async (api, r, p, ct) => KoladaV3.Page(await ReadKpis(api, r, p, ct), KoladaV3.Kpi));
    public static readonly ReadApiRoute MunicipalityVersion3 = new("KoladaMunicipalityV3", MunicipalityV3, PlaceParameters,
        async (api, r, p, ct) => KoladaV3.Page(await ReadPlaces(api, r, p, ct), m => m));
    public static readonly ReadApiRoute KpiGroupsVersion3 = new("KoladaKpiGroupsV3", KpiGroupsV3, ["title"],
        async (api, r, p, ct) => KoladaV3.Page(await ReadKpiGroups(api, r, p, ct), g => g));
    public static readonly ReadApiRoute MunicipalityGroups = new("KoladaMunicipalityGroups", MunicipalityGroupsV2, ["title"],
        async (api, r, p, ct) => await ReadMunicipalityGroups(api, r, p, ct));
    public static readonly ReadApiRoute MunicipalityGroupsVersion3 = new("KoladaMunicipalityGroupsV3", MunicipalityGroupsV3, ["title"],
        async (api, r, p, ct) => KoladaV3.Page(await ReadMunicipalityGroups(api, r, p, ct), g => g));
    /// <summary>Kolada's ou, with the parameters its clients send (title, municipality): always empty (<see cref="KoladaApi.OusAsync"/>).</summary>
    public static readonly ReadApiRoute Ou = new("KoladaOu", OuV2, ["title", "municipality"], async (api, r, p, ct) => await api.OusAsync(r.First("version"), p.Page, p.PerPage, p.Url, ct));
    public static readonly ReadApiRoute OuVersion3 = new("KoladaOuV3", OuV3, ["title", "municipality"],
        async (api, r, p, ct) => KoladaV3.Page(await api.OusAsync(r.First("version"), p.Page, p.PerPage, p.Url, ct), o => o));
    public static readonly ReadApiRoute Versions = new("Versions", VersionsOf, [], async (api, r, _, ct) => await api.VersionsAsync(r.RouteValue ?? "", ct), Paged: false);

    /// <summary>Every route, as <c>finsam api</c> maps them.</summary>
    public static IReadOnlyList<ReadApiRoute> All { get; } =
        [Data, Kpi, Municipality, KpiGroups, MunicipalityGroups, Ou, DataVersion3, KpiVersion3, MunicipalityVersion3, KpiGroupsVersion3,
         MunicipalityGroupsVersion3, OuVersion3, Versions];

    /// <summary>Answers a request to a route: 200 with what it reads, or 400 / 404 with the reason.</summary>
    public static async Task<ReadApiAnswer> AnswerAsync(ReadApiRoute route, KoladaApi api, ReadApiRequest request, CancellationToken ct)
    {
        try
        {
            var taken = route.Parameters.Concat(route.Paged ? Common : [KeyParameter]).ToList();
            var unknown = request.Query.Select(q => q.Key).Distinct(StringComparer.Ordinal)
                .Where(k => !taken.Contains(k, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new ReadApiBadRequestException($"This API does not take {string.Join(", ", unknown.Select(k => $"'{k}'"))} here; it takes {string.Join(", ", taken)}.");
            var paging = new ReadApiPaging(Number(request, "page", 1), Number(request, "per_page", KoladaApi.MaxPerPage), n => PageUrl(request, n));
            return new ReadApiAnswer(200, await route.Read(api, request, paging, ct));
        }
        catch (ReadApiNotFoundException e)
        {
            return new ReadApiAnswer(404, new ReadApiError(e.Message));
        }
        catch (ReadApiBadRequestException e)
        {
            return new ReadApiAnswer(400, new ReadApiError(e.Message));
        }
    }

    private static Task<KoladaPage<KoladaData>> ReadData(KoladaApi api, ReadApiRequest request, ReadApiPaging paging, CancellationToken ct) =>
        api.DataAsync(Query(request), request.First("version"), paging.Page, paging.PerPage, paging.Url, ct);

    /// <summary>The data query, from the path or the query string; a list may come as one comma-separated value or as the key repeated (koladapy: kpi_id=a&amp;kpi_id=b).</summary>
    private static KoladaQuery Query(ReadApiRequest request) =>
        KoladaQuery.Parse(request.RouteValue, request.Query
            .Select(q => (Name: KoladaQuery.QueryStringNames.FirstOrDefault(n => string.Equals(n, q.Key, StringComparison.OrdinalIgnoreCase)), q.Value))
            .Where(q => q.Name is not null)
            .GroupBy(q => q.Name!).ToDictionary(g => g.Key, g => string.Join(',', g.SelectMany(q => q.Value))));

    /// <summary>Kolada's from_date: a date, yyyy-mm-dd.</summary>
    private static DateOnly Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? date
            : throw new ReadApiBadRequestException($"from_date '{text}' is not a date: write yyyy-mm-dd, e.g. 2026-01-01.");

    private static Task<KoladaPage<KoladaKpi>> ReadKpis(KoladaApi api, ReadApiRequest request, ReadApiPaging paging, CancellationToken ct) =>
        api.KpisAsync(List(request.RouteValue), new KoladaKpiFilter(request.Text("title"), request.Text("description"), request.Text("operating_area")), request.First("version"), paging.Page, paging.PerPage, paging.Url, ct);

    private static Task<KoladaPage<KoladaGroup>> ReadKpiGroups(KoladaApi api, ReadApiRequest request, ReadApiPaging paging, CancellationToken ct) =>
        api.KpiGroupsAsync(List(request.RouteValue), request.Text("title"), request.First("version"), paging.Page, paging.PerPage, paging.Url, ct);

    private static Task<KoladaPage<KoladaGroup>> ReadMunicipalityGroups(KoladaApi api, ReadApiRequest request, ReadApiPaging paging, CancellationToken ct) =>
        api.MunicipalityGroupsAsync(List(request.RouteValue), request.Text("title"), request.First("version"), paging.Page, paging.PerPage, paging.Url, ct);

    private static Task<KoladaPage<KoladaMunicipality>> ReadPlaces(KoladaApi api, ReadApiRequest request, ReadApiPaging paging, CancellationToken ct)
    {
        var (type, regionType) = (request.Text("type"), request.Text("region_type"));
        if (type is not null && regionType is not null && !string.Equals(type, regionType, StringComparison.OrdinalIgnoreCase))
            throw new ReadApiBadRequestException($"type '{type}' and region_type '{regionType}' ask for different places; give one.");
        return api.MunicipalitiesAsync(List(request.RouteValue), request.Text("title"), type ?? regionType, request.First("version"), paging.Page, paging.PerPage, paging.Url, ct);
    }

    private static IReadOnlyList<string> List(string? ids) =>
        ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static int Number(ReadApiRequest request, string name, int fallback) =>
        request.First(name) is not { } text ? fallback
        : int.TryParse(text, out var n) ? n : throw new ReadApiBadRequestException($"{name} '{text}' is not a number.");

    /// <summary>
    /// The same request with another page. A function key given as <c>code=</c> stays in it: clients that cannot send a
    /// header (pykolada, kolada-scraper) follow the next page's URL as it is, and would lose their key on page 2.
    /// </summary>
    private static string PageUrl(ReadApiRequest request, int page)
    {
        var query = request.Query.Where(q => !string.Equals(q.Key, "page", StringComparison.OrdinalIgnoreCase)).Select(q => $"{q.Key}={Uri.EscapeDataString(string.Join(',', q.Value))}")
            .Append($"page={page}");
        return $"{request.Url}?{string.Join('&', query)}";
    }
}

/// <summary>The body of a 400 or 404: <c>{"error": "…"}</c>.</summary>
public sealed record ReadApiError([property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error);
