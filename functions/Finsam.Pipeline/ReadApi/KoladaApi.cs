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
    /// <remarks>An id the release does not hold selects nothing, as in Kolada: its clients expect an empty list, not an error.</remarks>
    public async Task<KoladaPage<KoladaData>> DataAsync(KoladaQuery query, string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        return Page(table.Select(query), page, perPage, pageUrl);
    }

    /// <summary>
    /// Kolada v3's <c>from_date</c>: the values of the query that changed in a release committed on or after
    /// <paramref name="from"/> (00:00 UTC), against the last release committed before it — new and changed values (value,
    /// status or count), and with <c>isdeleted</c> those that release had and this one has not. With no release before
    /// that date, every value is new; when the release read was itself committed before it, nothing changed since.
    /// </summary>
    /// <param name="deletions">False for v2, which has no <c>isdeleted</c>: new and changed values only.</param>
    public async Task<KoladaPage<KoladaDataV3>> DataChangedAsync(KoladaQuery query, DateOnly from, string? version, int page, int perPage,
        Func<int, string> pageUrl, CancellationToken ct = default, bool deletions = true)
    {
        var table = await TableAsync(version, ct);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (table.Created < start) return Page(new List<KoladaDataV3>(), page, perPage, pageUrl);
        var now = table.Select(query);
        // Releases are numbered in the order they were committed: the last one before the date is the first found going down
        // (each manifest is megabytes at national scale, so only those down to it are read).
        Manifest? earlier = null;
        for (var n = table.Version - 1; n >= 1 && earlier is null; n--)
            if (await versions.ReadManifestAsync(PublishedLayout.KpiDataset, n, ct) is { } manifest && manifest.Created < start) earlier = manifest;
        if (earlier is null) return Page(now.Select(KoladaV3.Data).ToList(), page, perPage, pageUrl);
        var before = (await TableAsync(earlier.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ct)).Select(query)
            .ToDictionary(d => (d.Kpi, d.Municipality, d.Period));
        var current = now.ToDictionary(d => (d.Kpi, d.Municipality, d.Period));
        var changes = new List<KoladaDataV3>();
        foreach (var key in current.Keys.Union(before.Keys)
                     .OrderBy(k => k.Kpi, StringComparer.Ordinal).ThenBy(k => k.Municipality, StringComparer.Ordinal).ThenBy(k => k.Period))
        {
            var was = before.TryGetValue(key, out var b) ? b.Values.ToDictionary(v => v.Gender) : [];
            var values = new List<KoladaValueV3>();
            if (current.TryGetValue(key, out var c))
                values.AddRange(c.Values.Where(v => !was.TryGetValue(v.Gender, out var old) || old != v)
                    .Select(v => new KoladaValueV3(v.Gender, v.Count, v.Status, v.Value, IsDeleted: false)));
            var genders = c?.Values.Select(v => v.Gender).ToHashSet() ?? [];
            if (deletions)
                values.AddRange(was.Values.Where(v => !genders.Contains(v.Gender)).Select(v => new KoladaValueV3(v.Gender, v.Count, v.Status, Value: null, IsDeleted: true)));
            if (values.Count > 0) changes.Add(new KoladaDataV3(key.Kpi, key.Municipality, key.Period, values));
        }
        return Page(changes, page, perPage, pageUrl);
    }

    /// <param name="filter">Kolada's filters of the KPI list: title, description, operating_area.</param>
    public async Task<KoladaPage<KoladaKpi>> KpisAsync(IReadOnlyList<string> ids, KoladaKpiFilter filter, string? version, int page, int perPage, Func<int, string> pageUrl,
        CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        var selected = table.Catalog
            .Where(k => ids.Count == 0 || ids.Contains(k.Id))
            .Where(filter.Keeps)
            .ToList();
        return Page(selected, page, perPage, pageUrl);
    }

    /// <summary>
    /// Kolada's kpi_groups: one group per theme of the catalog (its operating_area: ekonomi, deltagare,
    /// kostnadseffektivitet), titled as the workbook's sheets, with its KPIs as members.
    /// </summary>
    /// <param name="title">Only groups whose title contains it, in any case.</param>
    public async Task<KoladaPage<KoladaGroup>> KpiGroupsAsync(IReadOnlyList<string> ids, string? title, string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        var groups = table.Catalog
            .Where(k => k.OperatingArea.Length > 0)
            .GroupBy(k => k.OperatingArea, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KoladaGroup(g.Key, char.ToUpperInvariant(g.Key[0]) + g.Key[1..],
                g.OrderBy(k => k.Id, StringComparer.Ordinal).Select(k => new KoladaGroupMember(k.Id, k.Title)).ToList()))
            .Where(g => Matches(ids, title, g.Id, g.Title))
            .ToList();
        return Page(groups, page, perPage, pageUrl);
    }

    /// <param name="title">Only places whose title contains it, in any case (Kolada's <c>title</c>).</param>
    /// <param name="type">Only places of this type (Kolada's <c>type</c> / <c>region_type</c>): F a federation, L a county,
    /// A all federations; Kolada's K (a municipality) selects nothing, as there is none.</param>
    public async Task<KoladaPage<KoladaMunicipality>> MunicipalitiesAsync(IReadOnlyList<string> ids, string? title, string? type, string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        var selected = table.Scopes
            .Where(m => Matches(ids, title, m.Id, m.Title))
            .Where(m => type is null || string.Equals(m.Type, type, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return Page(selected, page, perPage, pageUrl);
    }

    /// <summary>
    /// Kolada's municipality_groups: each county (its id as in /municipality, Kolada's region id for one of Sweden's
    /// counties) and all federations (<c>alla</c>), with their federations as members.
    /// </summary>
    /// <param name="title">Only groups whose title contains it, in any case.</param>
    public async Task<KoladaPage<KoladaGroup>> MunicipalityGroupsAsync(IReadOnlyList<string> ids, string? title, string? version, int page, int perPage,
        Func<int, string> pageUrl, CancellationToken ct = default)
    {
        var table = await TableAsync(version, ct);
        var groups = table.Groups
            .Where(g => Matches(ids, title, g.Id, g.Title))
            .ToList();
        return Page(groups, page, perPage, pageUrl);
    }

    /// <summary>
    /// Kolada's ou (organisational units within a municipality, each with data of its own): a federation and its levels have
    /// none, so the list is empty, as Kolada answers for a municipality without units. The release is still resolved, so an
    /// unknown version is a 404 as everywhere.
    /// </summary>
    public async Task<KoladaPage<KoladaOu>> OusAsync(string? version, int page, int perPage, Func<int, string> pageUrl, CancellationToken ct = default)
    {
        await TableAsync(version, ct);
        return Page(new List<KoladaOu>(), page, perPage, pageUrl);
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

    /// <summary>Kolada's selection of a list: one of the ids asked for (any when none), with a title that contains <paramref name="title"/>, in any case.</summary>
    private static bool Matches(IReadOnlyList<string> ids, string? title, string id, string itemTitle) =>
        (ids.Count == 0 || ids.Contains(id)) && (title is null || itemTitle.Contains(title, StringComparison.OrdinalIgnoreCase));

    private static KoladaPage<T> Page<T>(IReadOnlyList<T> all, int page, int perPage, Func<int, string> pageUrl)
    {
        if (page < 1) throw new ReadApiBadRequestException($"page must be 1 or more (it was {page}).");
        if (perPage is < 1 or > MaxPerPage) throw new ReadApiBadRequestException($"per_page must be between 1 and {MaxPerPage} (it was {perPage}).");
        var values = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        var next = page * perPage < all.Count ? pageUrl(page + 1) : null;
        var previous = page > 1 ? pageUrl(page - 1) : null;
        return new KoladaPage<T>(values.Count, values, previous, next);
    }

    /// <summary>
    /// How long what storage said is taken as read: the latest pointer, and that a version is still kept. A new release
    /// is served, and one that retention or an erasure removed stops being served, within this time.
    /// </summary>
    public static readonly TimeSpan StorageReadAge = TimeSpan.FromSeconds(1);

    /// <summary>A number read from storage, and when.</summary>
    private sealed record Read(int Number, long At)
    {
        public bool Fresh => System.Diagnostics.Stopwatch.GetElapsedTime(At) < StorageReadAge;
    }

    private Read? _latest;
    private readonly ConcurrentDictionary<int, Read> _kept = new();

    /// <summary>The latest release's number, read from its pointer at most once per <see cref="StorageReadAge"/>.</summary>
    private async Task<int> LatestAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _latest) is { Fresh: true } known) return known.Number;
        var number = await versions.ResolveNumberAsync(PublishedLayout.KpiDataset, PublishedLayout.LatestPointer, ct);
        Volatile.Write(ref _latest, new Read(number, System.Diagnostics.Stopwatch.GetTimestamp()));
        return number;
    }

    /// <summary>Whether a version is still kept (its manifest there), asked of storage at most once per <see cref="StorageReadAge"/>.</summary>
    private async Task<bool> KeptAsync(int number, CancellationToken ct)
    {
        if (_kept.TryGetValue(number, out var known) && known.Fresh) return true;
        if (!await versions.ExistsAsync(PublishedLayout.KpiDataset, number, ct))
        {
            _kept.TryRemove(number, out _);
            _tables.TryRemove(number, out _);
            return false;
        }
        _kept[number] = new Read(number, System.Diagnostics.Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>
    /// The release a version name stands for (empty or latest: the latest, read from its pointer at most once per
    /// <see cref="StorageReadAge"/>), checked to be still kept; a 404 (<see cref="ReadApiNotFoundException"/>) otherwise.
    /// </summary>
    public async Task<int> ResolveAsync(string? version, CancellationToken ct = default)
    {
        int number;
        try
        {
            number = string.IsNullOrWhiteSpace(version) || version.Equals(PublishedLayout.LatestPointer, StringComparison.OrdinalIgnoreCase)
                ? await LatestAsync(ct)
                : await versions.ResolveNumberAsync(PublishedLayout.KpiDataset, version, ct);
        }
        catch (PublishingException e)
        {
            throw new ReadApiNotFoundException(e.Message);
        }
        if (!await KeptAsync(number, ct)) throw new ReadApiNotFoundException(DatasetVersions.Missing(PublishedLayout.KpiDataset, number).Message);
        return number;
    }

    /// <summary>
    /// A version's table: the name resolved to a number (latest: the small pointer file), checked to be still kept, and
    /// the table read once per number (the last <see cref="CachedVersions"/> kept). A version's manifest (megabytes at
    /// national scale) is read only when its table is loaded; a number that is not published never enters the cache.
    /// </summary>
    private async Task<MemberKpiTable> TableAsync(string? version, CancellationToken ct)
    {
        var number = await ResolveAsync(version, ct);
        var load = _tables.GetOrAdd(number, n => new Lazy<Task<MemberKpiTable>>(async () =>
            await MemberKpiTable.LoadAsync(versions, await versions.ResolveAsync(PublishedLayout.KpiDataset, n.ToString(System.Globalization.CultureInfo.InvariantCulture), ct), options, ct)));
        try
        {
            var table = await load.Value;
            foreach (var old in _tables.Keys.OrderDescending().Skip(CachedVersions)) _tables.TryRemove(old, out _);
            return table;
        }
        catch (PublishingException e)
        {
            _tables.TryRemove(number, out _);
            throw new ReadApiNotFoundException(e.Message);
        }
        catch
        {
            _tables.TryRemove(number, out _);
            throw;
        }
    }
}

/// <summary>
/// Kolada's filters of the KPI list, each kept when given (pykolada sends all three): <c>title</c>, the Swedish or
/// English title, and <c>description</c> contain it, in any case; <c>operating_area</c> is the KPI's theme (ekonomi,
/// deltagare, kostnadseffektivitet), in any case.
/// </summary>
public sealed record KoladaKpiFilter(string? Title = null, string? Description = null, string? OperatingArea = null)
{
    public bool Keeps(KoladaKpi kpi) =>
        (Title is null || kpi.Title.Contains(Title, StringComparison.OrdinalIgnoreCase) || kpi.TitleEn.Contains(Title, StringComparison.OrdinalIgnoreCase))
        && (Description is null || kpi.Description.Contains(Description, StringComparison.OrdinalIgnoreCase))
        && (OperatingArea is null || string.Equals(kpi.OperatingArea, OperatingArea, StringComparison.OrdinalIgnoreCase));
}
