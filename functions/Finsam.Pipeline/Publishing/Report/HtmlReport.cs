using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Finsam.Pipeline.Publishing.Report;

/// <summary>
/// rapport.html: a self-contained report of one version (Chart.js and the data are inline; no external
/// scripts, fonts or images), with Swedish labels from the KPI catalog. It shows only member-facing,
/// small-count protected figures; a suppressed value is shown as "..". The same data and version give the
/// same bytes (no timestamps), so an interrupted publish can be resumed.
/// </summary>
public static class HtmlReport
{
    /// <summary>The charts every report has, in order; tests check each one renders.</summary>
    public static readonly string[] ChartIds =
        ["chart-kostnadsfordelning", "chart-admin-andel", "chart-eget-kapital", "chart-deltagare", "chart-utfall", "chart-kostnad-per-deltagare", "chart-lagfordelning"];

    private static readonly string ChartJs = ReadResource("chart.umd.js");
    private const string Suppressed = "..";
    private static readonly string[] Palette = ["#1f5f8b", "#e07b39", "#5a9e4b", "#9b59b6", "#c0392b", "#7f8c8d"];

    public static byte[] Render(ReportData data, string dataset, int version)
    {
        var years = data.Kpis.Where(k => k.Scope == "alla").Select(k => k.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        var latestYear = years.LastOrDefault() ?? data.Kpis.Select(k => k.Period).DefaultIfEmpty("").Max()!;
        var columns = data.Federations.Select(f => (Scope: "forbund", Id: f.Id, Label: f.Name))
            .Append((Scope: "alla", Id: "alla", Label: "Alla förbund")).ToList();

        var charts = new List<ChartSpec>();
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="sv">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            """);
        html.Append($"<title>Finsam nyckeltal – version {version}</title>\n");
        html.Append("""
            <script>window.reportErrors = []; window.addEventListener('error', function (e) { window.reportErrors.push(String(e.message)); });</script>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #1d2733; }
            h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #1f5f8b; padding-bottom: .2rem; } h3 { margin-top: 1.4rem; }
            .lead { color: #4a5866; } .note { color: #4a5866; font-size: .9rem; }
            table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem; width: 100%; }
            th, td { border-bottom: 1px solid #d5dde5; padding: .25rem .5rem; text-align: left; vertical-align: top; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } th.num { text-align: right; }
            .table-wrap { overflow-x: auto; }
            thead th { background: #eef3f7; }
            .chart { position: relative; height: 320px; margin: .5rem 0; }
            .flag { color: #b03a2e; font-weight: 600; } .error { color: #b03a2e; } .warning { color: #8a6d00; }
            details { margin: .5rem 0 1rem; } summary { cursor: pointer; color: #1f5f8b; }
            code { font-size: .85em; }
            </style>
            </head>
            <body>
            """);
        html.Append($"<h1>Finsam – nyckeltal och kostnadsfördelning</h1>\n");
        html.Append($"<p class=\"lead\">Version {version} av datamängden <code>{E(dataset)}</code>. År {E(latestYear)} till och med {E(ThroughPeriod(data, latestYear))}. " +
                    $"{data.Federations.Count} förbund, {data.Inputs.Count} indatafiler.</p>\n");
        html.Append("<p class=\"note\">Alla belopp i kronor. Antal deltagare 1–4, och värden som bygger på eller kan räknas fram ur sådana antal, är skyddade och visas som <b>..</b> (röjandeskydd).</p>\n");

        // Overview table.
        html.Append("<h2 id=\"oversikt\">Översikt per förbund</h2>\n");
        var overview = new (string Kpi, string Dimension)[]
        {
            ("medelstilldelning", ""), ("kostnad_total", ""), ("admin_andel_medelstilldelning", ""), ("eget_kapital_andel", ""),
            ("deltagare_unika", ""), ("nya", ""), ("avslutade", ""), ("avslut_arbete_studier_andel", ""), ("kostnad_per_deltagare", ""),
        };
        Table(html, "table-oversikt", ["Förbund", .. overview.Select(o => data.Titles.GetValueOrDefault(o.Kpi, o.Kpi))],
            columns.Select(c => new[] { c.Label }.Concat(overview.Select(o => Cell(data.Find(o.Kpi, c.Scope, c.Id, latestYear, "T", o.Dimension)))).ToArray()),
            numericFrom: 1);

        // Cost distribution.
        html.Append("<h2 id=\"kostnader\">Kostnadsfördelning</h2>\n");
        var categories = new[] { ("individinriktade_insatser", "Individinriktade insatser"), ("strukturovergripande_insatser", "Strukturövergripande insatser"), ("administration", "Administration") };
        Chart(html, charts, new ChartSpec(ChartIds[0], "bar", columns.Select(c => c.Label).ToList(),
            categories.Select((cat, i) => new ChartSeries(cat.Item2, columns.Select(c => data.Find("kostnad_andel", c.Scope, c.Id, latestYear, "T", cat.Item1)?.Value).ToList(), Palette[i])).ToList(),
            Stacked: true, Unit: "andel"), $"{data.Titles.GetValueOrDefault("kostnad_andel")} {latestYear}");
        html.Append("<h3>Administration som andel av medelstilldelningen</h3>\n");
        Chart(html, charts, new ChartSpec(ChartIds[1], "bar", columns.Select(c => c.Label).ToList(),
            [new ChartSeries(data.Titles.GetValueOrDefault("admin_andel_medelstilldelning", "admin"), columns.Select(c => data.Find("admin_andel_medelstilldelning", c.Scope, c.Id, latestYear, "T", "")?.Value).ToList(), Palette[2])],
            Stacked: false, Unit: "andel"), $"{data.Titles.GetValueOrDefault("admin_andel_medelstilldelning")} {latestYear}");
        html.Append("<h3>Eget kapital och rekommendationen 20 %</h3>\n");
        Chart(html, charts, new ChartSpec(ChartIds[2], "bar", columns.Select(c => c.Label).ToList(),
            [new ChartSeries(data.Titles.GetValueOrDefault("eget_kapital_andel", "eget kapital"), columns.Select(c => data.Find("eget_kapital_andel", c.Scope, c.Id, latestYear, "T", "")?.Value).ToList(), Palette[0])],
            Stacked: false, Unit: "andel", ReferenceLine: 0.20m, ReferenceLabel: "Rekommendation 20 %"), $"{data.Titles.GetValueOrDefault("eget_kapital_andel")} {latestYear}");

        // Participants.
        html.Append("<h2 id=\"deltagare\">Deltagare</h2>\n");
        var flows = new[] { "deltagare_unika", "nya", "avslutade" };
        Chart(html, charts, new ChartSpec(ChartIds[3], "bar", years,
            flows.Select((k, i) => new ChartSeries(data.Titles.GetValueOrDefault(k, k), years.Select(y => data.Find(k, "alla", "alla", y, "T", "")?.Value).ToList(), Palette[i])).ToList(),
            Stacked: false, Unit: "antal"), "Alla förbund per år", labelHeader: "År");
        html.Append("<h3>Utfall bland avslutade</h3>\n");
        var outcomes = new[] { "avslut_arbete_studier_andel", "avslut_stegforflyttning_andel", "avslut_ovrigt_andel" };
        Chart(html, charts, new ChartSpec(ChartIds[4], "bar", columns.Select(c => c.Label).ToList(),
            outcomes.Select((k, i) => new ChartSeries(data.Titles.GetValueOrDefault(k, k), columns.Select(c => data.Find(k, c.Scope, c.Id, latestYear, "T", "")?.Value).ToList(), Palette[i])).ToList(),
            Stacked: true, Unit: "andel"), $"Andel av avslutade {latestYear}");

        // Cost effectiveness.
        html.Append("<h2 id=\"effektivitet\">Kostnad per deltagare</h2>\n");
        var effectiveness = new[] { "kostnad_per_deltagare", "kostnad_per_avslutad" };
        Chart(html, charts, new ChartSpec(ChartIds[5], "line", years,
            effectiveness.Select((k, i) => new ChartSeries(data.Titles.GetValueOrDefault(k, k), years.Select(y => data.Find(k, "alla", "alla", y, "T", "")?.Value).ToList(), Palette[i])).ToList(),
            Stacked: false, Unit: "kr"), "Alla förbund per år", labelHeader: "År");

        // Legal split.
        html.Append("<h2 id=\"finansiering\">Finansiering enligt lagen (stat ½, region ¼, kommuner ¼)</h2>\n");
        var members = new[] { ("stat", "Staten"), ("region", "Regionen"), ("kommuner", "Kommunerna") };
        Chart(html, charts, new ChartSpec(ChartIds[6], "bar", columns.Select(c => c.Label).ToList(),
            members.Select((m, i) => new ChartSeries(m.Item2, columns.Select(c => data.Find("bidrag_andel", c.Scope, c.Id, latestYear, "T", m.Item1)?.Value).ToList(), Palette[i])).ToList(),
            Stacked: true, Unit: "andel"), $"{data.Titles.GetValueOrDefault("bidrag_andel")} {latestYear}");

        // Per federation.
        html.Append("<h2 id=\"forbund\">Per förbund</h2>\n");
        foreach (var column in columns)
        {
            var rows = data.At(column.Scope, column.Id, latestYear).Where(k => k.Kon == "T").ToList();
            html.Append($"<h3 id=\"forbund-{E(column.Id)}\">{E(column.Label)}</h3>\n");
            Table(html, $"table-forbund-{column.Id}", ["Nyckeltal", "Dimension", "Värde", "Flagga"],
                rows.Select(r => new[] { r.Title, r.Dimension, Cell(r), r.Flag }), numericFrom: 2, numericTo: 2);
        }

        // Quality.
        html.Append("<h2 id=\"kvalitet\">Datakvalitet</h2>\n");
        if (data.Findings.Count == 0) html.Append("<p>Inga fynd.</p>\n");
        Table(html, "table-kvalitet", ["Nivå", "Förbund", "År", "Månad", "Regel", "Detalj", "Rader"],
            data.Findings.Select(f => new[] { f.Severity, f.FederationId, f.Year?.ToString(CultureInfo.InvariantCulture) ?? "", f.Period ?? "", f.RuleId, f.Detail,
                f.AffectedRows?.ToString(CultureInfo.InvariantCulture) ?? Suppressed }), numericFrom: 6);

        // Manifest summary.
        html.Append("<h2 id=\"underlag\">Underlag (manifest)</h2>\n");
        html.Append($"<p>Version {version}, byggd av {data.Inputs.Count} indatafiler. Hela förteckningen med SHA-256 för varje indatafil, SQL-modell och referensfil finns i <code>manifest.json</code> bredvid denna rapport.</p>\n");
        Table(html, "table-underlag", ["Förbund", "Typ", "Filer", "Första månad", "Senaste månad", "Senast inläst (UTC)"],
            data.Inputs.GroupBy(i => (i.Federation, i.Kind)).OrderBy(g => g.Key.Federation, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
                .Select(g => new[] { g.Key.Federation, g.Key.Kind, g.Count().ToString(CultureInfo.InvariantCulture), g.Min(i => i.Period)!, g.Max(i => i.Period)!,
                    g.Max(i => i.IngestedAt)?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "" }), numericFrom: 2, numericTo: 2);

        html.Append("<script>\n").Append(ChartJs).Append("\n</script>\n");
        html.Append("<script type=\"application/json\" id=\"chart-data\">").Append(JsonSerializer.Serialize(charts)).Append("</script>\n");
        html.Append("<script>\n").Append(ChartScript).Append("\n</script>\n");
        html.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    private const string ChartScript = """
        (function () {
          var specs = JSON.parse(document.getElementById('chart-data').textContent);
          function format(value, unit) {
            if (value === null || value === undefined) return '..';
            if (unit === 'andel') return (value * 100).toLocaleString('sv-SE', { maximumFractionDigits: 1 }) + ' %';
            if (unit === 'kr') return Math.round(value).toLocaleString('sv-SE') + ' kr';
            return value.toLocaleString('sv-SE');
          }
          specs.forEach(function (spec) {
            var canvas = document.getElementById(spec.id);
            var datasets = spec.datasets.map(function (s) {
              return { label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, spanGaps: false, type: spec.type };
            });
            if (spec.referenceLine !== null) {
              datasets.push({ label: spec.referenceLabel, type: 'line', data: spec.labels.map(function () { return spec.referenceLine; }),
                borderColor: '#b03a2e', borderDash: [6, 4], pointRadius: 0, fill: false });
            }
            new Chart(canvas, {
              type: spec.type,
              data: { labels: spec.labels, datasets: datasets },
              options: {
                animation: false, responsive: true, maintainAspectRatio: false,
                scales: {
                  x: { stacked: spec.stacked },
                  y: { stacked: spec.stacked, beginAtZero: true, ticks: { callback: function (v) { return format(v, spec.unit); } } }
                },
                plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + format(c.raw, spec.unit); } } } }
              }
            });
            canvas.setAttribute('data-rendered', 'true');
          });
          document.body.setAttribute('data-charts-rendered', String(specs.length));
        })();
        """;

    /// <param name="labelHeader">What the chart's labels are, as the first column of its table: "Förbund" or "År".</param>
    private static void Chart(StringBuilder html, List<ChartSpec> charts, ChartSpec spec, string caption, string labelHeader = "Förbund")
    {
        charts.Add(spec);
        html.Append($"<figure><figcaption>{E(caption)} (saknad stapel: skyddat eller saknat värde)</figcaption><div class=\"chart\"><canvas id=\"{spec.Id}\" role=\"img\" aria-label=\"{E(caption)}\"></canvas></div>\n");
        html.Append("<details><summary>Visa som tabell</summary>\n");
        Table(html, $"table-{spec.Id}", [labelHeader, .. spec.Datasets.Select(d => d.Label)],
            spec.Labels.Select((label, i) => new[] { label }.Concat(spec.Datasets.Select(d => Format(d.Data[i], spec.Unit))).ToArray()), numericFrom: 1);
        html.Append("</details></figure>\n");
    }

    private static void Table(StringBuilder html, string id, IReadOnlyList<string> headers, IEnumerable<string[]> rows, int numericFrom = int.MaxValue, int numericTo = int.MaxValue)
    {
        bool Numeric(int i) => i >= numericFrom && i <= numericTo;
        html.Append($"<div class=\"table-wrap\"><table id=\"{E(id)}\"><thead><tr>");
        for (var i = 0; i < headers.Count; i++) html.Append(Numeric(i) ? "<th class=\"num\">" : "<th>").Append(E(headers[i])).Append("</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++) html.Append(Numeric(i) ? "<td class=\"num\">" : "<td>").Append(E(row[i])).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    private static string ThroughPeriod(ReportData data, string year) =>
        data.Kpis.Where(k => k.Scope == "alla" && k.Period == year).Select(k => k.ThroughPeriod).DefaultIfEmpty(year).Max()!;

    private static string Cell(ReportKpi? kpi) => kpi is null ? "–" : kpi.Suppression != "" ? Suppressed : Format(kpi.Value, kpi.Unit);

    /// <summary>Swedish number formats: 1 234 567 kr, 12,3 %, 1 234.</summary>
    public static string Format(decimal? value, string unit)
    {
        if (value is not { } v) return Suppressed;
        var text = unit switch
        {
            "andel" => Math.Round(v * 100, 1, MidpointRounding.AwayFromZero).ToString("#,0.0", CultureInfo.InvariantCulture) + " %",
            "kr" => Math.Round(v, 0, MidpointRounding.AwayFromZero).ToString("#,0", CultureInfo.InvariantCulture) + " kr",
            "dagar" => Math.Round(v, 1, MidpointRounding.AwayFromZero).ToString("#,0.#", CultureInfo.InvariantCulture) + " dagar",
            _ => Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("#,0.##", CultureInfo.InvariantCulture),
        };
        // Invariant "1,234.5" → Swedish "1 234,5" (narrow no-break space as the thousands separator).
        return text.Replace(",", "\u202f").Replace('.', ',');
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string ReadResource(string name)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream($"Finsam.Pipeline.Publishing.Report.{name}")
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
