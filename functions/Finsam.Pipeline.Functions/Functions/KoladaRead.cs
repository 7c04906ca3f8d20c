using Finsam.Pipeline.ReadApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// The members' read API in the shape of the Kolada API v2, over the published kpi dataset (latest, or <c>?version=N</c>):
/// a Kolada client pointed at <c>https://APP/api</c> reads it unchanged. Every call needs a function key (one per member).
/// </summary>
public sealed class KoladaRead(KoladaApi api)
{
    [Function("KoladaData")]
    public Task<IActionResult> Data(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/data/{*query}")] HttpRequest request, string query, CancellationToken ct) =>
        Answer(request, (page, perPage, url) => api.DataAsync(KoladaQuery.Parse(query), Version(request), page, perPage, url, ct));

    [Function("KoladaKpi")]
    public Task<IActionResult> Kpi(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/kpi/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, (page, perPage, url) => api.KpisAsync(List(ids), Version(request), page, perPage, url, ct));

    [Function("KoladaMunicipality")]
    public Task<IActionResult> Municipality(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/municipality/{ids?}")] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(request, (page, perPage, url) => api.MunicipalitiesAsync(List(ids), Version(request), page, perPage, url, ct));

    [Function("Versions")]
    public Task<IActionResult> Versions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "versions/{dataset}")] HttpRequest request, string dataset, CancellationToken ct) =>
        Answer(request, async (_, _, _) => await api.VersionsAsync(dataset, ct));

    private static async Task<IActionResult> Answer<T>(HttpRequest request, Func<int, int, Func<int, string>, Task<T>> read)
    {
        try
        {
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

    private static IReadOnlyList<string> List(string? ids) =>
        ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static int Number(HttpRequest request, string name, int fallback) =>
        request.Query[name].FirstOrDefault() is not { } text ? fallback
        : int.TryParse(text, out var n) ? n : throw new ReadApiBadRequestException($"{name} '{text}' is not a number.");

    /// <summary>The same request with another page; the function key is not repeated in the URL.</summary>
    private static string PageUrl(HttpRequest request, int page)
    {
        var query = request.Query.Where(q => q.Key is not ("page" or "code")).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={page}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
