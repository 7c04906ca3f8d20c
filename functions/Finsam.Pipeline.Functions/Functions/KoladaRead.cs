using Finsam.Pipeline.ReadApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// The members' read API in the shapes of the Kolada API v3 and v2, over the published kpi dataset (latest, or
/// <c>?version=N</c>): a Kolada client pointed at <c>https://APP/api/v3/</c> (or <c>v2/</c>) reads it. Every call needs a
/// function key (one per member).
/// A parameter the API does not know, or does not implement yet, is refused with 400 naming it: never ignored, which would
/// give a client an answer to another question.
/// </summary>
public sealed class KoladaRead(KoladaApi api)
{
    /// <summary>What every paged route reads: paging, the release, and the function key.</summary>
    private static readonly string[] Common = ["page", "per_page", "version", "code"];

    /// <summary>What versions/{dataset} reads: the function key only.</summary>
    private static readonly string[] KeyOnly = ["code"];

    [Function("KoladaData")]
    public Task<IActionResult> Data(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/data/{*query}")] HttpRequest request, string? query, CancellationToken ct) =>
        Answer(request, [.. KoladaQuery.QueryStringNames], (page, perPage, url) => ReadData(request, query, page, perPage, url, ct));

    [Function("KoladaKpi")]
    public Task<IActionResult> Kpi(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/kpi/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, ["title"], (page, perPage, url) => ReadKpis(request, ids, page, perPage, url, ct));

    [Function("KoladaMunicipality")]
    public Task<IActionResult> Municipality(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/municipality/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, PlaceParameters, (page, perPage, url) => ReadPlaces(request, ids, page, perPage, url, ct));

    [Function("KoladaDataV3")]
    public Task<IActionResult> DataV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v3/data/{*query}")] HttpRequest request, string? query, CancellationToken ct) =>
        Answer(request, [.. KoladaQuery.QueryStringNames], async (page, perPage, url) => KoladaV3.Page(await ReadData(request, query, page, perPage, url, ct), KoladaV3.Data));

    [Function("KoladaKpiV3")]
    public Task<IActionResult> KpiV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v3/kpi/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, ["title"], async (page, perPage, url) => KoladaV3.Page(await ReadKpis(request, ids, page, perPage, url, ct), KoladaV3.Kpi));

    [Function("KoladaMunicipalityV3")]
    public Task<IActionResult> MunicipalityV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v3/municipality/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, PlaceParameters, async (page, perPage, url) => KoladaV3.Page(await ReadPlaces(request, ids, page, perPage, url, ct), m => m));

    [Function("KoladaKpiGroups")]
    public Task<IActionResult> KpiGroups(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/kpi_groups/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, ["title"], (page, perPage, url) => ReadKpiGroups(request, ids, page, perPage, url, ct));

    [Function("KoladaKpiGroupsV3")]
    public Task<IActionResult> KpiGroupsV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v3/kpi_groups/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, ["title"], async (page, perPage, url) => KoladaV3.Page(await ReadKpiGroups(request, ids, page, perPage, url, ct), g => g));

    /// <summary>title, and the type of place under either of the names Kolada's clients send (type, region_type).</summary>
    private static readonly string[] PlaceParameters = ["title", "type", "region_type"];

    private Task<KoladaPage<KoladaData>> ReadData(HttpRequest request, string? query, int page, int perPage, Func<int, string> url, CancellationToken ct) =>
        // A list may come as one comma-separated value or as the key repeated (koladapy: kpi_id=a&kpi_id=b).
        api.DataAsync(KoladaQuery.Parse(query, request.Query.Where(q => KoladaQuery.QueryStringNames.Contains(q.Key))
                .ToDictionary(q => q.Key, q => string.Join(',', q.Value.ToArray()))),
            Version(request), page, perPage, url, ct);

    private Task<KoladaPage<KoladaKpi>> ReadKpis(HttpRequest request, string? ids, int page, int perPage, Func<int, string> url, CancellationToken ct) =>
        api.KpisAsync(List(ids), Text(request, "title"), Version(request), page, perPage, url, ct);

    private Task<KoladaPage<KoladaGroup>> ReadKpiGroups(HttpRequest request, string? ids, int page, int perPage, Func<int, string> url, CancellationToken ct) =>
        api.KpiGroupsAsync(List(ids), Text(request, "title"), Version(request), page, perPage, url, ct);

    private Task<KoladaPage<KoladaMunicipality>> ReadPlaces(HttpRequest request, string? ids, int page, int perPage, Func<int, string> url, CancellationToken ct)
    {
        var (type, regionType) = (Text(request, "type"), Text(request, "region_type"));
        if (type is not null && regionType is not null && !string.Equals(type, regionType, StringComparison.OrdinalIgnoreCase))
            throw new ReadApiBadRequestException($"type '{type}' and region_type '{regionType}' ask for different places; give one.");
        return api.MunicipalitiesAsync(List(ids), Text(request, "title"), type ?? regionType, Version(request), page, perPage, url, ct);
    }

    [Function("Versions")]
    public Task<IActionResult> Versions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "versions/{dataset}")] HttpRequest request, string dataset, CancellationToken ct) =>
        Answer(request, [], async (_, _, _) => await api.VersionsAsync(dataset, ct), KeyOnly);

    /// <param name="own">The parameters this route reads besides <paramref name="common"/> (<see cref="Common"/> by default).</param>
    private static async Task<IActionResult> Answer<T>(HttpRequest request, string[] own, Func<int, int, Func<int, string>, Task<T>> read, string[]? common = null)
    {
        try
        {
            // Names as the query collection reads them: in any case.
            var taken = own.Concat(common ?? Common).ToList();
            var unknown = request.Query.Keys.Where(k => !taken.Contains(k, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new ReadApiBadRequestException($"This API does not take {string.Join(", ", unknown.Select(k => $"'{k}'"))} here; it takes {string.Join(", ", taken)}.");
            var page = Number(request, "page", 1);
            var perPage = Number(request, "per_page", KoladaApi.MaxPerPage);
            return new OkObjectResult(await read(page, perPage, n => PageUrl(request, n)));
        }
        catch (ReadApiNotFoundException e)
        {
            return new NotFoundObjectResult(new { error = e.Message });
        }
        catch (ReadApiBadRequestException e)
        {
            return new BadRequestObjectResult(new { error = e.Message });
        }
    }

    private static string? Version(HttpRequest request) => request.Query["version"].FirstOrDefault();

    private static string? Text(HttpRequest request, string name) => request.Query[name].FirstOrDefault() is { Length: > 0 } text ? text : null;

    private static IReadOnlyList<string> List(string? ids) =>
        ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static int Number(HttpRequest request, string name, int fallback) =>
        request.Query[name].FirstOrDefault() is not { } text ? fallback
        : int.TryParse(text, out var n) ? n : throw new ReadApiBadRequestException($"{name} '{text}' is not a number.");

    /// <summary>
    /// The same request with another page. A function key given as <c>code=</c> stays in it: clients that cannot send a
    /// header (pykolada, kolada-scraper) follow next_page as it is, and would lose their key on page 2.
    /// </summary>
    private static string PageUrl(HttpRequest request, int page)
    {
        var query = request.Query.Where(q => q.Key is not "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={page}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
