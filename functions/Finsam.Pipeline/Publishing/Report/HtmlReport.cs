using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Finsam.Pipeline.Contract;

namespace Finsam.Pipeline.Publishing.Report;

/// <summary>
/// rapport.html: a self-contained report of one version (Chart.js and the data are inline; no external
/// scripts, fonts or images), with Swedish labels from the KPI catalog. It shows only member-facing,
/// small-count protected figures; a suppressed value is shown as "..". Every year in the data is shown,
/// latest first: an overview per year (only the federations with data that year), each federation's trend
/// over its years, and per federation and year the participant table in the annual reports' form and every
/// KPI. Every value carries its status: a "p" for preliminär (the year is not complete), a "b" for brist (a
/// data-quality error affects it; the finding ids in its title), and "brist" in place of a withheld value.
/// The same data and version give the same bytes (no timestamps), so an interrupted publish can be resumed.
/// </summary>
public static class HtmlReport
{
    /// <summary>The charts every report has, in order; tests check each one renders. Each level also has a trend chart, chart-trend-{id}.</summary>
    public static readonly string[] ChartIds =
        ["chart-kostnadsfordelning", "chart-admin-andel", "chart-eget-kapital", "chart-deltagare", "chart-utfall", "chart-kostnad-per-deltagare", "chart-lagfordelning"];

    private static readonly string ChartJs = ReadResource("chart.umd.js");
    private const string Suppressed = Marker.Suppressed;
    private static readonly string[] Palette = ["#1f5f8b", "#e07b39", "#5a9e4b", "#9b59b6", "#c0392b", "#7f8c8d"];

    /// <summary>The KPIs of the overview of each year, with short column labels (the catalog's title is the label's tooltip).</summary>
    private static readonly (string Kpi, string Label)[] Overview =
    [
        ("medelstilldelning", "Medelstilldelning"), ("kostnad_total", "Kostnader"), ("admin_andel_medelstilldelning", "Adm. / medel"),
        ("eget_kapital_andel", "Eget kapital / medel"), ("deltagare_totalt", "Deltagare totalt"), ("deltagare_med_personuppgifter", "Med personuppgifter"),
        ("avslut_arbete_studier_andel", "Arbete/studier"), ("kostnad_per_deltagare", "Kr/deltagare"),
    ];

    /// <summary>The KPIs of each level's trend over its years.</summary>
    private static readonly string[] Trend =
    [
        "medelstilldelning", "kostnad_total", "admin_andel_medelstilldelning", "eget_kapital_andel", "resultat", "deltagare_totalt",
        "deltagare_med_personuppgifter", "deltagare_anonyma", "deltagare_volym", "deltagare_struktur", "nya", "avslutade",
        "avslut_arbete_studier_andel", "kostnad_per_deltagare", "tackningsgrad",
    ];

    /// <summary>The rows of the annual reports' participant table, by gender.</summary>
    private static readonly string[] ParticipantGroups =
        ["deltagare_med_personuppgifter", "deltagare_anonyma", "deltagare_volym", "deltagare_totalt", "deltagare_struktur"];

    /// <summary>A level the report shows: a federation, a county or all federations.</summary>
    private sealed record Level(string Scope, string Id, string Label);

    /// <summary>A value cell: the ready HTML of a value with its status marker.</summary>
    private sealed record Html(string Markup);

    public static byte[] Render(ReportData data, string dataset, int version)
    {
        var years = data.Kpis.Select(k => k.Period).Distinct().OrderDescending(StringComparer.Ordinal).ToList();
        var latestYear = years.FirstOrDefault() ?? "";
        var levels = data.Federations.Select(f => new Level("forbund", f.Id, f.Name))
            .Concat(data.Kpis.Where(k => k.Scope == "lan").Select(k => k.ScopeId).Distinct().Order(StringComparer.Ordinal).Select(c => new Level("lan", c, c)))
            .Append(new Level("alla", "alla", "Alla förbund")).ToList();
        bool HasData(Level level, string year) => data.At(level.Scope, level.Id, year).Any();
        var chartLevels = levels.Where(l => l.Scope != "lan" && HasData(l, latestYear)).ToList();

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
            h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #1f5f8b; padding-bottom: .2rem; } h3 { margin-top: 1.4rem; } h4 { margin: 1rem 0 .3rem; }
            .lead { color: #4a5866; } .note { color: #4a5866; font-size: .9rem; }
            table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem; width: 100%; }
            th, td { border-bottom: 1px solid #d5dde5; padding: .25rem .5rem; text-align: left; vertical-align: top; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } th.num { text-align: right; }
            .table-wrap { overflow-x: auto; }
            thead th { background: #eef3f7; }
            .chart { position: relative; height: 320px; margin: .5rem 0; } .chart.small { height: 220px; }
            .flag { color: #b03a2e; font-weight: 600; } .error { color: #b03a2e; } .warning { color: #8a6d00; }
            .status { font-size: .7em; font-weight: 700; margin-left: .15em; cursor: help; }
            .status-prel { color: #8a6d00; } .status-brist { color: #b03a2e; } .withheld { color: #b03a2e; font-weight: 600; cursor: help; }
            details { margin: .5rem 0 1rem; } summary { cursor: pointer; color: #1f5f8b; }
            code { font-size: .85em; }
            </style>
            </head>
            <body>
            """);
        html.Append("<h1>Finsam – nyckeltal och kostnadsfördelning</h1>\n");
        var span = years.Count == 0 ? "" : years.Count == 1 ? $"År {latestYear}" : $"Åren {years[^1]}–{latestYear}";
        html.Append($"<p class=\"lead\">Version {version} av datamängden <code>{E(dataset)}</code>. {E(span)}, senaste månad {E(LatestMonth(data))}. " +
                    $"{data.Federations.Count} förbund, {data.Inputs.Count} indatafiler.</p>\n");
        html.Append("<p class=\"note\">Alla belopp i kronor. Antal deltagare 1–4, och värden som bygger på eller kan räknas fram ur sådana antal, är skyddade och visas som <b>..</b> (röjandeskydd). " +
                    "Status vid varje värde: <sup class=\"status status-prel\">p</sup> preliminärt (året är inte komplett), " +
                    "<sup class=\"status status-brist\">b</sup> brist (ett datakvalitetsfel påverkar värdet; fyndet står i värdets titel och under Datakvalitet), " +
                    "<span class=\"withheld\">brist</span> värdet är undanhållet eftersom felet gör det missvisande. Summor för län och alla förbund anger hur många förbund de omfattar.</p>\n");

        // Overview: one table per year, latest first, with the levels that have data that year.
        html.Append("<h2 id=\"oversikt\">Översikt per år</h2>\n");
        foreach (var year in years)
        {
            html.Append($"<h3 id=\"oversikt-{E(year)}\">{E(year)}</h3>\n");
            var rows = levels.Where(l => HasData(l, year)).Select(l =>
                new[] { new Html(E(l.Label)), Covered(data, l, year) }.Concat(Overview.Select(o => Cell(data.Find(o.Kpi, l.Scope, l.Id, year, "T", ""))))).ToList();
            Table(html, $"table-oversikt-{year}", ["Förbund", "T.o.m. (förbund)", .. Overview.Select(o => o.Label)], rows, numericFrom: 2,
                headerTitles: ["", "", .. Overview.Select(o => Title(data, o.Kpi))]);
        }

        // Charts for the latest year across the levels with data in it, and the totals over the years.
        html.Append($"<h2 id=\"kostnader\">Kostnadsfördelning {E(latestYear)}</h2>\n");
        var categories = new[] { ("individinriktade_insatser", "Individinriktade insatser"), ("strukturovergripande_insatser", "Strukturövergripande insatser"), ("administration", "Administration") };
        Chart(html, charts, ChartIds[0], "bar", chartLevels.Select(l => l.Label).ToList(),
            categories.Select(c => (c.Item2, chartLevels.Select(l => data.Find("kostnad_andel", l.Scope, l.Id, latestYear, "T", c.Item1)).ToList())).ToList(),
            stacked: true, "andel", $"{Title(data, "kostnad_andel")} {latestYear}");
        html.Append("<h3>Administration som andel av medelstilldelningen</h3>\n");
        Chart(html, charts, ChartIds[1], "bar", chartLevels.Select(l => l.Label).ToList(),
            [(Title(data, "admin_andel_medelstilldelning"), chartLevels.Select(l => data.Find("admin_andel_medelstilldelning", l.Scope, l.Id, latestYear, "T", "")).ToList())],
            stacked: false, "andel", $"{Title(data, "admin_andel_medelstilldelning")} {latestYear}");
        html.Append("<h3>Eget kapital och rekommendationen 20 %</h3>\n");
        Chart(html, charts, ChartIds[2], "bar", chartLevels.Select(l => l.Label).ToList(),
            [(Title(data, "eget_kapital_andel"), chartLevels.Select(l => data.Find("eget_kapital_andel", l.Scope, l.Id, latestYear, "T", "")).ToList())],
            stacked: false, "andel", $"{Title(data, "eget_kapital_andel")} {latestYear}", referenceLine: 0.20m, referenceLabel: "Rekommendation 20 %");

        html.Append("<h2 id=\"deltagare\">Deltagare</h2>\n");
        var ascending = years.AsEnumerable().Reverse().ToList();
        var flows = new[] { "deltagare_totalt", "deltagare_med_personuppgifter", "nya", "avslutade" };
        Chart(html, charts, ChartIds[3], "bar", ascending,
            flows.Select(k => (Title(data, k), ascending.Select(y => data.Find(k, "alla", "alla", y, "T", "")).ToList())).ToList(),
            stacked: false, "antal", "Alla förbund per år", labelHeader: "År");
        html.Append($"<h3>Utfall bland avslutade {E(latestYear)}</h3>\n");
        var outcomes = new[] { "avslut_arbete_studier_andel", "avslut_stegforflyttning_andel", "avslut_ovrigt_andel" };
        Chart(html, charts, ChartIds[4], "bar", chartLevels.Select(l => l.Label).ToList(),
            outcomes.Select(k => (Title(data, k), chartLevels.Select(l => data.Find(k, l.Scope, l.Id, latestYear, "T", "")).ToList())).ToList(),
            stacked: true, "andel", $"Andel av avslutade {latestYear}");

        html.Append("<h2 id=\"effektivitet\">Kostnad per deltagare</h2>\n");
        var effectiveness = new[] { "kostnad_per_deltagare", "kostnad_per_avslutad" };
        Chart(html, charts, ChartIds[5], "line", ascending,
            effectiveness.Select(k => (Title(data, k), ascending.Select(y => data.Find(k, "alla", "alla", y, "T", "")).ToList())).ToList(),
            stacked: false, "kr", "Alla förbund per år", labelHeader: "År");

        html.Append($"<h2 id=\"finansiering\">Finansiering enligt lagen (stat ½, region ¼, kommuner ¼) {E(latestYear)}</h2>\n");
        var members = new[] { ("stat", "Staten"), ("region", "Regionen"), ("kommuner", "Kommunerna") };
        Chart(html, charts, ChartIds[6], "bar", chartLevels.Select(l => l.Label).ToList(),
            members.Select(m => (m.Item2, chartLevels.Select(l => data.Find("bidrag_andel", l.Scope, l.Id, latestYear, "T", m.Item1)).ToList())).ToList(),
            stacked: true, "andel", $"{Title(data, "bidrag_andel")} {latestYear}");

        // Per level: the trend over its years, then each year, latest first.
        html.Append("<h2 id=\"forbund\">Per förbund, län och alla förbund</h2>\n");
        foreach (var level in levels)
        {
            var levelYears = years.Where(y => HasData(level, y)).ToList();
            html.Append($"<h3 id=\"forbund-{E(level.Id)}\">{E(level.Label)}</h3>\n");
            if (levelYears.Count == 0)
            {
                html.Append("<p>Inga nyckeltal ännu.</p>\n");
                continue;
            }
            html.Append($"<p class=\"note\">År med data: {E(string.Join(", ", levelYears))}.</p>\n");
            html.Append("<h4>Utveckling över åren</h4>\n");
            Table(html, $"table-trend-{level.Id}", ["Nyckeltal", .. levelYears],
                Trend.Select(k => new[] { new Html(E(Title(data, k))) }.Concat(levelYears.Select(y => Cell(data.Find(k, level.Scope, level.Id, y, "T", ""))))),
                numericFrom: 1);
            var trendYears = levelYears.AsEnumerable().Reverse().ToList();
            Chart(html, charts, $"chart-trend-{level.Id}", "line", trendYears,
                new[] { "medelstilldelning", "kostnad_total" }.Select(k => (Title(data, k), trendYears.Select(y => data.Find(k, level.Scope, level.Id, y, "T", "")).ToList())).ToList(),
                stacked: false, "kr", $"{level.Label}: medelstilldelning och kostnader per år", labelHeader: "År", small: true);

            for (var i = 0; i < levelYears.Count; i++)
            {
                var year = levelYears[i];
                html.Append($"<details{(i == 0 ? " open" : "")}><summary>{E(level.Label)} {E(year)} ({E(YearNote(data, level, year))})</summary>\n");
                ParticipantTable(html, data, level, year);
                if (level.Scope == "forbund") InterventionTable(html, data, level, year);
                html.Append("<h4>Alla nyckeltal</h4>\n");
                var rows = data.At(level.Scope, level.Id, year).Where(k => k.Kon == "T").ToList();
                Table(html, $"table-forbund-{level.Id}-{year}", ["Nyckeltal", "Dimension", "Värde", "Status", "Flagga"],
                    rows.Select(r => new[] { new Html(E(r.Title)), new Html(E(r.Dimension)), Cell(r), new Html(E(StatusText(r))), new Html(E(r.Flag)) }),
                    numericFrom: 2, numericTo: 2);
                html.Append("</details>\n");
            }
        }

        // Quality.
        html.Append("<h2 id=\"kvalitet\">Datakvalitet</h2>\n");
        if (data.Findings.Count == 0) html.Append("<p>Inga fynd.</p>\n");
        else html.Append("<p class=\"note\">Fel (error) ger status brist på de nyckeltal de påverkar (se nyckeltalskatalogen); varningar ändrar inga värden.</p>\n");
        Table(html, "table-kvalitet", ["Nivå", "Id", "Förbund", "År", "Månad", "Regel", "Detalj", "Rader"],
            data.Findings.Select(f => new[] { f.Severity, f.FindingId, f.FederationId, f.Year?.ToString(CultureInfo.InvariantCulture) ?? "", f.Period ?? "", f.RuleId, f.Detail,
                f.AffectedRows?.ToString(CultureInfo.InvariantCulture) ?? Suppressed }.Select(t => new Html(E(t))).ToArray()), numericFrom: 7);

        // Manifest summary.
        html.Append("<h2 id=\"underlag\">Underlag (manifest)</h2>\n");
        html.Append($"<p>Version {version}, byggd av {data.Inputs.Count} indatafiler. Hela förteckningen med SHA-256 för varje indatafil, SQL-modell och referensfil finns i <code>manifest.json</code> bredvid denna rapport.</p>\n");
        Table(html, "table-underlag", ["Förbund", "Typ", "Filer", "Första månad", "Senaste månad", "Senast inläst (UTC)"],
            data.Inputs.GroupBy(i => (i.Federation, i.Kind)).OrderBy(g => g.Key.Federation, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
                .Select(g => new[] { g.Key.Federation, g.Key.Kind, g.Count().ToString(CultureInfo.InvariantCulture), g.Min(i => i.Period)!, g.Max(i => i.Period)!,
                    g.Max(i => i.IngestedAt)?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "" }.Select(t => new Html(E(t))).ToArray()), numericFrom: 2, numericTo: 2);

        html.Append("<script>\n").Append(ChartJs).Append("\n</script>\n");
        html.Append("<script type=\"application/json\" id=\"chart-data\">").Append(JsonSerializer.Serialize(charts)).Append("</script>\n");
        html.Append("<script>\n").Append(ChartScript).Append("\n</script>\n");
        html.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    /// <summary>The annual reports' participant table: the groups by gender, then the interventions by kind, and the sentence they give.</summary>
    private static void ParticipantTable(StringBuilder html, ReportData data, Level level, string year)
    {
        ReportKpi? Find(string kpi, string kon, string dimension = "") => data.Find(kpi, level.Scope, level.Id, year, kon, dimension);
        if (Find("deltagare_totalt", "T") is null) return;
        html.Append("<h4>Deltagare som i årsredovisningen</h4>\n");
        string Total(string kpi) => Find(kpi, "T") switch
        {
            { Suppression: "", Value: { } v } => Format(v, "antal"),
            { Suppression: "", Status: "brist" } => "brist",
            _ => Suppressed,
        };
        html.Append($"<p class=\"summary\" id=\"summary-{E(level.Id)}-{E(year)}\">{E(Total("deltagare_med_personuppgifter"))} deltagare med personuppgifter, {E(Total("deltagare_anonyma"))} anonyma, " +
                    $"{E(Total("deltagare_volym"))} volymregistrerade, totalt {E(Total("deltagare_totalt"))} i individinriktade insatser; " +
                    $"{E(Total("deltagare_struktur"))} i strukturövergripande insatser.</p>\n");
        var rows = ParticipantGroups.Select(k => new[] { new Html(E(Title(data, k))), Cell(Find(k, "K")), Cell(Find(k, "M")), Cell(Find(k, "T")) })
            .Concat(new[] { ("individ", "Antal individinriktade insatser"), ("struktur", "Antal strukturövergripande insatser") }
                .Select(d => new[] { new Html(E(d.Item2)), new Html(""), new Html(""), Cell(Find("antal_insatser", "T", d.Item1)) }));
        Table(html, $"table-deltagare-{level.Id}-{year}", ["Deltagare", "Kvinnor", "Män", "Totalt"], rows, numericFrom: 1);
    }

    /// <summary>Each intervention's participants against its budgeted participants.</summary>
    private static void InterventionTable(StringBuilder html, ReportData data, Level level, string year)
    {
        var interventions = data.At(level.Scope, level.Id, year).Where(k => k.KpiId == "deltagare_insats").Select(k => k.Dimension).Distinct().Order(StringComparer.Ordinal).ToList();
        if (interventions.Count == 0) return;
        html.Append("<h4>Deltagare per insats mot budget</h4>\n");
        Table(html, $"table-insatser-{level.Id}-{year}", ["Insats", Title(data, "deltagare_insats"), Title(data, "deltagare_insats_budget"), Title(data, "deltagare_insats_mot_budget")],
            interventions.Select(i => new[]
            {
                new Html(E(i)), Cell(data.Find("deltagare_insats", level.Scope, level.Id, year, "T", i)),
                Cell(data.Find("deltagare_insats_budget", level.Scope, level.Id, year, "T", i)), Cell(data.Find("deltagare_insats_mot_budget", level.Scope, level.Id, year, "T", i)),
            }), numericFrom: 1);
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

    /// <summary>
    /// A chart and, beside it, its data as a table with every value's status. A suppressed or withheld value is a gap in the chart.
    /// </summary>
    /// <param name="labelHeader">What the chart's labels are, as the first column of its table: "Förbund" or "År".</param>
    private static void Chart(StringBuilder html, List<ChartSpec> charts, string id, string type, IReadOnlyList<string> labels,
        IReadOnlyList<(string Label, List<ReportKpi?> Values)> series, bool stacked, string unit, string caption, string labelHeader = "Förbund",
        decimal? referenceLine = null, string? referenceLabel = null, bool small = false)
    {
        var spec = new ChartSpec(id, type, labels,
            series.Select((s, i) => new ChartSeries(s.Label, s.Values.Select(v => v is { Suppression: "" } ? v.Value : null).ToList(), Palette[i % Palette.Length])).ToList(),
            stacked, unit, referenceLine, referenceLabel);
        charts.Add(spec);
        html.Append($"<figure><figcaption>{E(caption)} (saknad stapel: skyddat, undanhållet eller saknat värde)</figcaption><div class=\"chart{(small ? " small" : "")}\"><canvas id=\"{E(id)}\" role=\"img\" aria-label=\"{E(caption)}\"></canvas></div>\n");
        html.Append("<details><summary>Visa som tabell</summary>\n");
        Table(html, $"table-{id}", [labelHeader, .. series.Select(s => s.Label)],
            labels.Select((label, i) => new[] { new Html(E(label)) }.Concat(series.Select(s => Cell(s.Values[i]))).ToArray()), numericFrom: 1);
        html.Append("</details></figure>\n");
    }

    /// <param name="headerTitles">A tooltip per header (the full title of a shortened label), or none.</param>
    private static void Table(StringBuilder html, string id, IReadOnlyList<string> headers, IEnumerable<IEnumerable<Html>> rows, int numericFrom = int.MaxValue, int numericTo = int.MaxValue,
        IReadOnlyList<string>? headerTitles = null)
    {
        bool Numeric(int i) => i >= numericFrom && i <= numericTo;
        html.Append($"<div class=\"table-wrap\"><table id=\"{E(id)}\"><thead><tr>");
        for (var i = 0; i < headers.Count; i++)
        {
            var title = headerTitles is not null && headerTitles[i].Length > 0 ? $" title=\"{E(headerTitles[i])}\"" : "";
            html.Append(Numeric(i) ? $"<th class=\"num\"{title}>" : $"<th{title}>").Append(E(headers[i])).Append("</th>");
        }
        html.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            var i = 0;
            foreach (var cell in row) html.Append(Numeric(i++) ? "<td class=\"num\">" : "<td>").Append(cell.Markup).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    /// <summary>
    /// A value with its status: ".." when suppressed, "brist" when withheld, "–" when there is none (or it is empty); a "p" after a
    /// preliminary value and a "b" after one a data-quality error affects, with the reason and the findings in its title.
    /// </summary>
    private static Html Cell(ReportKpi? kpi)
    {
        if (kpi is null) return new Html("–");
        if (kpi.Suppression != "") return new Html(Suppressed);
        if (kpi.Withheld)
            return new Html($"<span class=\"withheld\" title=\"{E("Undanhållet: " + BristReason(kpi))}\">brist</span>");
        // A value that does not exist (a share of nothing, equity without an opening balance) is "–", not "..".
        var text = kpi.Value is null ? "–" : E(Format(kpi.Value, kpi.Unit));
        return new Html(kpi.Status switch
        {
            "preliminar" => $"{text}<sup class=\"status status-prel\" title=\"{E($"Preliminärt: året är inte komplett (t.o.m. {kpi.ThroughPeriod})")}\">p</sup>",
            "brist" => $"{text}<sup class=\"status status-brist\" title=\"{E(BristReason(kpi))}\">b</sup>",
            _ => text,
        });
    }

    /// <summary>The findings behind 'brist'; for a county's or all federations' value also how many federations it covers (fewer than the level has when an error withholds a member's figures).</summary>
    private static string BristReason(ReportKpi kpi) =>
        $"brist – {kpi.Findings.Replace("|", ", ")}" + (kpi.Scope == "forbund" || Withheld(kpi) ? "" : $" (omfattar {kpi.Federations} förbund)");

    private static string StatusText(ReportKpi kpi) => kpi.Status switch
    {
        "preliminar" => "preliminär",
        "brist" => $"brist: {kpi.Findings.Replace("|", ", ")}" + (kpi.Scope == "forbund" || Withheld(kpi) ? "" : $" (omfattar {kpi.Federations} förbund)"),
        _ => "",
    };

    /// <summary>A value a data-quality error withholds (see <see cref="ReportKpi.Withheld"/>).</summary>
    private static bool Withheld(ReportKpi kpi) => kpi.Withheld;

    /// <summary>
    /// How far a level's year goes, and for a total how many federations its values cover: a range when they differ (an error
    /// withholds a member's finance, but not its participants); withheld values cover none and are left out.
    /// </summary>
    private static Html Covered(ReportData data, Level level, string year)
    {
        var rows = data.At(level.Scope, level.Id, year).ToList();
        var through = rows.Select(k => k.ThroughPeriod).DefaultIfEmpty(year).Max()!;
        if (level.Scope == "forbund") return new Html(E(through));
        var counts = rows.Where(k => !Withheld(k)).Select(k => k.Federations).DefaultIfEmpty(0).ToList();
        var (fewest, most) = (counts.Min(), counts.Max());
        return new Html(E(fewest == most ? $"{through}, {most} förbund" : $"{through}, {fewest}–{most} förbund"));
    }

    private static string YearNote(ReportData data, Level level, string year)
    {
        var rows = data.At(level.Scope, level.Id, year).ToList();
        var through = rows.Select(k => k.ThroughPeriod).DefaultIfEmpty(year).Max()!;
        var note = string.CompareOrdinal(through, year + "-12") < 0 ? $"t.o.m. {through}, preliminärt" : $"t.o.m. {through}";
        return rows.Any(k => k.Status == "brist") ? note + ", brist i datakvaliteten" : note;
    }

    private static string LatestMonth(ReportData data) => data.Kpis.Select(k => k.ThroughPeriod).DefaultIfEmpty("").Max()!;

    private static string Title(ReportData data, string kpi) => data.Titles.GetValueOrDefault(kpi, kpi);

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
