using Finsam.Pipeline.ReadApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// The members' read API in the shapes of the Kolada API v3 and v2, over the published kpi dataset (latest, or
/// <c>?version=N</c>): a Kolada client pointed at <c>https://APP/api/v3/</c> (or <c>v2/</c>) reads it. Every call needs a
/// function key (one per member). The routes and what they answer are the core's <see cref="ReadApiRoutes"/>, which
/// <c>finsam api</c> serves too: one function per route here, as the Functions worker needs.
/// </summary>
public sealed class KoladaRead(KoladaApi api)
{
    [Function("KoladaData")]
    public Task<IActionResult> Data(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.DataV2)] HttpRequest request, string? query, CancellationToken ct) =>
        Answer(ReadApiRoutes.Data, request, query, ct);

    [Function("KoladaKpi")]
    public Task<IActionResult> Kpi(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.KpiV2)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.Kpi, request, ids, ct);

    [Function("KoladaMunicipality")]
    public Task<IActionResult> Municipality(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.MunicipalityV2)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.Municipality, request, ids, ct);

    [Function("KoladaKpiGroups")]
    public Task<IActionResult> KpiGroups(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.KpiGroupsV2)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.KpiGroups, request, ids, ct);

    [Function("KoladaDataV3")]
    public Task<IActionResult> DataV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.DataV3)] HttpRequest request, string? query, CancellationToken ct) =>
        Answer(ReadApiRoutes.DataVersion3, request, query, ct);

    [Function("KoladaKpiV3")]
    public Task<IActionResult> KpiV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.KpiV3)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.KpiVersion3, request, ids, ct);

    [Function("KoladaMunicipalityV3")]
    public Task<IActionResult> MunicipalityV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.MunicipalityV3)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.MunicipalityVersion3, request, ids, ct);

    [Function("KoladaKpiGroupsV3")]
    public Task<IActionResult> KpiGroupsV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.KpiGroupsV3)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.KpiGroupsVersion3, request, ids, ct);

    [Function("KoladaMunicipalityGroups")]
    public Task<IActionResult> MunicipalityGroups(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.MunicipalityGroupsV2)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.MunicipalityGroups, request, ids, ct);

    [Function("KoladaMunicipalityGroupsV3")]
    public Task<IActionResult> MunicipalityGroupsV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.MunicipalityGroupsV3)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.MunicipalityGroupsVersion3, request, ids, ct);

    [Function("KoladaOu")]
    public Task<IActionResult> Ou(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.OuV2)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.Ou, request, ids, ct);

    [Function("KoladaOuV3")]
    public Task<IActionResult> OuV3(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.OuV3)] HttpRequest request, string? ids, CancellationToken ct) =>
        Answer(ReadApiRoutes.OuVersion3, request, ids, ct);

    [Function("Versions")]
    public Task<IActionResult> Versions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiRoutes.VersionsOf)] HttpRequest request, string dataset, CancellationToken ct) =>
        Answer(ReadApiRoutes.Versions, request, dataset, ct);

    private async Task<IActionResult> Answer(ReadApiRoute route, HttpRequest request, string? routeValue, CancellationToken ct)
    {
        var answer = await ReadApiRoutes.AnswerAsync(route, api, ReadApiRequest.From(routeValue, request.Scheme, request.Host.ToString(), request.PathBase, request.Path, request.Query), ct);
        return answer.Status switch
        {
            StatusCodes.Status200OK => new OkObjectResult(answer.Body),
            StatusCodes.Status404NotFound => new NotFoundObjectResult(answer.Body),
            _ => new BadRequestObjectResult(answer.Body),
        };
    }
}
