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
public static partial class HtmlReport
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
        ["deltagare", "deltagare_anonyma", "deltagare_volym", "deltagare_totalt", "deltagare_med_personuppgifter", "deltagare_struktur"];

    /// <summary>A level the report shows: a federation, a county or all federations.</summary>
    private sealed record Level(string Scope, string Id, string Label);

    /// <summary>A value cell: the ready HTML of a value with its status marker.</summary>
    private sealed record Html(string Markup);

    public static byte[] Render(ReportData data, string dataset, int version)
    {
        var page = Page.Of(data);
        Head(page.Html, version);
        Introduction(page, dataset, version);
        OverviewSection(page);
        CostSections(page);
        ParticipantSections(page);
        LevelSections(page);
        QualitySection(page);
        ManifestSection(page, version);
        page.Html.Append("<script>\n").Append(ChartJs).Append("\n</script>\n");
        page.Html.Append("<script type=\"application/json\" id=\"chart-data\">").Append(JsonSerializer.Serialize(page.Charts)).Append("</script>\n");
        page.Html.Append("<script>\n").Append(ChartScript).Append("\n</script>\n");
        page.Html.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(page.Html.ToString());
    }

    /// <summary>
    /// What every section of a report reads: the data, the markup and charts written so far, the years latest first, the
    /// levels (federations, counties, all federations) and those with data in the latest year that the charts compare.
    /// </summary>
    private sealed record Page(ReportData Data, StringBuilder Html, List<ChartSpec> Charts, List<string> Years, string LatestYear, List<Level> Levels,
        List<Level> ChartLevels)
    {
        public static Page Of(ReportData data)
        {
            var years = data.Kpis.Select(k => k.Period).Distinct().OrderDescending(StringComparer.Ordinal).ToList();
            var latestYear = years.FirstOrDefault() ?? "";
            var levels = data.Federations.Select(f => new Level("forbund", f.Id, f.Name))
                .Concat(data.Kpis.Where(k => k.Scope == "lan").Select(k => k.ScopeId).Distinct().Order(StringComparer.Ordinal)
                    .Select(c => new Level("lan", c, data.Federations.FirstOrDefault(f => f.County == c)?.CountyName ?? c)))
                .Append(new Level("alla", "alla", "Alla förbund")).ToList();
            var chartLevels = levels.Where(l => l.Scope != "lan" && data.At(l.Scope, l.Id, latestYear).Any()).ToList();
            return new Page(data, new StringBuilder(), [], years, latestYear, levels, chartLevels);
        }

        public bool HasData(Level level, string year) => Data.At(level.Scope, level.Id, year).Any();
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
        // As SUS and the annual reports count them: registrations, so that the three add up to the total.
        html.Append($"<p class=\"summary\" id=\"summary-{E(level.Id)}-{E(year)}\">{E(Total("deltagare"))} registrerade med personuppgifter, {E(Total("deltagare_anonyma"))} anonyma, " +
                    $"{E(Total("deltagare_volym"))} volymregistrerade, totalt {E(Total("deltagare_totalt"))} i individinriktade insatser " +
                    $"({E(Total("deltagare_med_personuppgifter"))} unika personer med personuppgifter); {E(Total("deltagare_struktur"))} i strukturövergripande insatser.</p>\n");
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
