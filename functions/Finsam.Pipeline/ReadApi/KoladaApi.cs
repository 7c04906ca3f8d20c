using System.Collections.Concurrent;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// The members' read API over the published <c>kpi</c> dataset, in the shape of the Kolada API v2 that members' analysts
/// already use: data by KPI, federation/county/all (Kolada's "municipality") and year; the catalog; the places; the versions.
/// It serves exactly what the member files hold: small-count protected values, never the controller's exact ones.
/// Versions are immutable, so a version's table is read once and kept (the last few).
/// </summary>
public sealed class KoladaApi(DatasetVersions versions, ModelOptions options)
{
    public const int MaxPerPage = 5000;
    private const int CachedVersions = 3;
    private readonly ConcurrentDictionary<int, Lazy<Task<MemberKpiTable>>> _tables = new();

    /// <param name="pageUrl">The URL of page n of the same query, for previous_page and next_page.</param>
    public async Task<KoladaPage<KoladaData>> DataAsync(KoladaQuery query, string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        foreach (var kpi in query.Kpis)
            if (!table.HasKpi(kpi))
                throw new ReadApiNotFoundException($"There is no KPI '{kpi}' in kpi v{table.Version}. GET v2/kpi lists them (a KPI with a dimension is written kpi.dimension, e.g. kostnad_andel.administration).");
        foreach (var municipality in query.Municipalities)
            if (!table.HasScope(municipality))
                throw new ReadApiNotFoundException($"There is no federation, county or 'alla' with id '{municipality}' in kpi v{table.Version}. GET v2/municipality lists them.");
        var matching = table.Select(query);
        return Page(matching, page, perPage, pageUrl);
    }

    public async Task<KoladaPage<KoladaKpi>> KpisAsync(IReadOnlyList<string> ids, string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        var selected = ids.Count == 0 ? table.Catalog : table.Catalog.Where(k => ids.Contains(k.Id)).ToList();
        var missing = ids.Where(id => table.Catalog.All(k => k.Id != id)).ToList();
        if (missing.Count > 0) throw new ReadApiNotFoundException($"There is no KPI '{string.Join("', '", missing)}' in the catalog of kpi v{table.Version}.");
        return Page(selected, page, perPage, pageUrl);
    }

    public async Task<KoladaPage<KoladaMunicipality>> MunicipalitiesAsync(IReadOnlyList<string> ids, string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        var selected = ids.Count == 0 ? table.Scopes : table.Scopes.Where(m => ids.Contains(m.Id)).ToList();
        return Page(selected, page, perPage, pageUrl);
    }

    public async Task<IReadOnlyList<VersionSummary>> VersionsAsync(string dataset, CancellationToken ct = default)
    {
        // Members see their releases only: the controller's versions follow every re-drop, which the release calendar hides.
        if (dataset != PublishedLayout.KpiDataset)
            throw new ReadApiNotFoundException($"There is no dataset '{dataset}' for members: use {PublishedLayout.KpiDataset}.");
        var latest = (await versions.ReadPointerAsync(dataset, PublishedLayout.LatestPointer, ct))?.Pointer.Version;
        return (await versions.ListAsync(dataset, ct))
            .OrderByDescending(m => m.Version)
            .Select(m => new VersionSummary(m.Dataset, m.Version, m.Created, m.PreviousVersion, m.Version == latest, m.Inputs.Count, m.ChangeSummary()))
            .ToList();
    }

    private static KoladaPage<T> Page<T>(IReadOnlyList<T> all, int page, int perPage, Func<int, string> pageUrl)
    {
        if (page < 1) throw new ReadApiBadRequestException($"page must be 1 or more (it was {page}).");
        if (perPage is < 1 or > MaxPerPage) throw new ReadApiBadRequestException($"per_page must be between 1 and {MaxPerPage} (it was {perPage}).");
        var values = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        var next = page * perPage < all.Count ? pageUrl(page + 1) : null;
        var previous = page > 1 ? pageUrl(page - 1) : null;
        return new KoladaPage<T>(values.Count, values, previous, next);
    }

    private async Task<MemberKpiTable> TableAsync(string? version, CancellationToken ct)
    {
        Manifest manifest;
        try
        {
            manifest = await versions.ResolveAsync(PublishedLayout.KpiDataset, string.IsNullOrWhiteSpace(version) ? PublishedLayout.LatestPointer : version, ct);
        }
        catch (PublishingException e)
        {
            throw new ReadApiNotFoundException(e.Message);
        }
        var load = _tables.GetOrAdd(manifest.Version, _ => new Lazy<Task<MemberKpiTable>>(() => MemberKpiTable.LoadAsync(versions, manifest, options, ct)));
        try
        {
            var table = await load.Value;
            foreach (var old in _tables.Keys.OrderDescending().Skip(CachedVersions)) _tables.TryRemove(old, out _);
            return table;
        }
        catch
        {
            _tables.TryRemove(manifest.Version, out _);
            throw;
        }
    }
}
