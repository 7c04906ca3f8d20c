using System.Globalization;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// A Kolada data query, read from the path after <c>v2/data/</c> (pairs of <c>kpi/{ids}</c>, <c>municipality/{ids}</c> and
/// <c>year/{years}</c>) or from the query string as koladapy sends it (<c>?kpi_id=…&amp;municipality_id=…&amp;year=…</c>);
/// each a comma-separated list, at least two of the three given (as Kolada asks).
/// </summary>
public sealed record KoladaQuery(IReadOnlyList<string> Kpis, IReadOnlyList<string> Municipalities, IReadOnlyList<int> Years)
{
    /// <summary>The query-string names of the three parts, as koladapy sends them.</summary>
    public static IReadOnlyList<string> QueryStringNames { get; } = ["kpi_id", "municipality_id", "year"];

    /// <param name="path">The path after data/ (empty in the query-string form).</param>
    /// <param name="queryString">The query string's kpi_id, municipality_id and year, where given.</param>
    public static KoladaQuery Parse(string? path, IReadOnlyDictionary<string, string> queryString)
    {
        var inQuery = QueryStringNames.Where(queryString.ContainsKey).ToList();
        if (string.IsNullOrWhiteSpace(path?.Trim('/')))
        {
            var parts = inQuery.ToDictionary(name => name.Replace("_id", "", StringComparison.Ordinal),
                name => queryString[name].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return FromParts(parts, "the query string");
        }
        if (inQuery.Count > 0)
            throw new ReadApiBadRequestException($"Give the query either in the path (kpi/…/municipality/…/year/…) or as {string.Join(", ", QueryStringNames)}, not both ({string.Join(", ", inQuery)} given).");
        return Parse(path);
    }

    public static KoladaQuery Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length % 2 != 0)
            throw new ReadApiBadRequestException($"'{path}' is not a data query: write kpi/{{ids}}/municipality/{{ids}}/year/{{years}} (two or three of them).");
        var parts = new Dictionary<string, string[]>();
        for (var i = 0; i < segments.Length; i += 2)
        {
            var key = segments[i].ToLowerInvariant();
            if (key is not ("kpi" or "municipality" or "year") || parts.ContainsKey(key))
                throw new ReadApiBadRequestException($"'{segments[i]}' in '{path}' is not expected here: use kpi, municipality and year, each once.");
            parts[key] = Uri.UnescapeDataString(segments[i + 1]).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return FromParts(parts, $"'{path}'");
    }

    private static KoladaQuery FromParts(Dictionary<string, string[]> parts, string where)
    {
        if (parts.Count < 2) throw new ReadApiBadRequestException($"Give at least two of kpi, municipality and year, as Kolada asks ({where} has {parts.Count}).");
        if (parts.FirstOrDefault(p => p.Value.Length == 0) is { Key: { } empty })
            throw new ReadApiBadRequestException($"{empty} in {where} names no id: give one or more, comma-separated.");
        var years = new List<int>();
        foreach (var year in parts.GetValueOrDefault("year") ?? [])
        {
            if (year.Length != 4 || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
                throw new ReadApiBadRequestException($"'{year}' is not a year: write four digits, e.g. 2025.");
            years.Add(y);
        }
        return new KoladaQuery(parts.GetValueOrDefault("kpi") ?? [], parts.GetValueOrDefault("municipality") ?? [], years);
    }
}
