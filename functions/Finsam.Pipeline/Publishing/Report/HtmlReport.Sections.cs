using System.Globalization;
using System.Text;

namespace Finsam.Pipeline.Publishing.Report;

/// <summary>The sections of the report, in the order they appear.</summary>
public static partial class HtmlReport
{
    private static void Head(StringBuilder html, int version)
    {
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
    }

    private static void Introduction(Page page, string dataset, int version)
    {
        var (html, data, years, latestYear) = (page.Html, page.Data, page.Years, page.LatestYear);
        html.Append("<h1>Finsam – nyckeltal och kostnadsfördelning</h1>\n");
        var span = years.Count == 0 ? "" : years.Count == 1 ? $"År {latestYear}" : $"Åren {years[^1]}–{latestYear}";
        html.Append($"<p class=\"lead\">Version {version} av datamängden <code>{E(dataset)}</code>. {E(span)}, senaste månad {E(LatestMonth(data))}. " +
                    $"{data.Federations.Count} förbund, {data.Inputs.Count} indatafiler.</p>\n");
        // The marker's legend only where the report hides a value.
        var protection = data.Kpis.Any(k => k.Suppression != "")
            ? "Antal deltagare 1–4, och värden som bygger på eller kan räknas fram ur sådana antal, är skyddade och visas som <b>..</b> (röjandeskydd). " +
              (data.CompleteYearsOnly ? "Antal deltagare publiceras för hela år: ett år som inte är komplett (december inte levererad, för ett län eller alla förbund av varje förbund) visas som <b>..</b>. " : "")
            : "";
        html.Append("<p class=\"note\">Alla belopp i kronor. " + protection +
                    "Status vid varje värde: <sup class=\"status status-prel\">p</sup> preliminärt (året är inte komplett), " +
                    "<sup class=\"status status-brist\">b</sup> brist (ett datakvalitetsfel påverkar värdet; fyndet står i värdets titel och under Datakvalitet), " +
                    "<span class=\"withheld\">brist</span> värdet är undanhållet eftersom felet gör det missvisande. Summor för län och alla förbund anger hur många förbund de omfattar.</p>\n");

    }

    /// <summary>Overview: one table per year, latest first, with the levels that have data that year.</summary>
    private static void OverviewSection(Page page)
    {
        var (html, data, years, levels) = (page.Html, page.Data, page.Years, page.Levels);
        html.Append("<h2 id=\"oversikt\">Översikt per år</h2>\n");
        foreach (var year in years)
        {
            html.Append($"<h3 id=\"oversikt-{E(year)}\">{E(year)}</h3>\n");
            var rows = levels.Where(l => page.HasData(l, year)).Select(l =>
                new[] { new Html(E(l.Label)), Covered(data, l, year) }.Concat(Overview.Select(o => Cell(data.Find(o.Kpi, l.Scope, l.Id, year, "T", ""))))).ToList();
            Table(html, $"table-oversikt-{year}", ["Förbund", "T.o.m. (förbund)", .. Overview.Select(o => o.Label)], rows, numericFrom: 2,
                headerTitles: ["", "", .. Overview.Select(o => Title(data, o.Kpi))]);
        }

    }

    /// <summary>Charts for the latest year across the levels with data in it: cost distribution, administration, equity.</summary>
    private static void CostSections(Page page)
    {
        var (html, charts, data, latestYear, chartLevels) = (page.Html, page.Charts, page.Data, page.LatestYear, page.ChartLevels);
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

    }

    /// <summary>Participants, outcomes, cost per participant and the legal split of the funding, over the years and across the levels.</summary>
    private static void ParticipantSections(Page page)
    {
        var (html, charts, data, years, latestYear, chartLevels) = (page.Html, page.Charts, page.Data, page.Years, page.LatestYear, page.ChartLevels);
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

    }

    /// <summary>Per level: the trend over its years, then each year, latest first.</summary>
    private static void LevelSections(Page page)
    {
        var (html, charts, data, years, levels) = (page.Html, page.Charts, page.Data, page.Years, page.Levels);
        html.Append("<h2 id=\"forbund\">Per förbund, län och alla förbund</h2>\n");
        foreach (var level in levels)
        {
            var levelYears = years.Where(y => page.HasData(level, y)).ToList();
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

    }

    private static void QualitySection(Page page)
    {
        var (html, data) = (page.Html, page.Data);
        html.Append("<h2 id=\"kvalitet\">Datakvalitet</h2>\n");
        if (data.Findings.Count == 0) html.Append("<p>Inga fynd.</p>\n");
        else html.Append("<p class=\"note\">Fel (error) ger status brist på de nyckeltal de påverkar (se nyckeltalskatalogen); varningar ändrar inga värden.</p>\n");
        Table(html, "table-kvalitet", ["Nivå", "Id", "Förbund", "År", "Månad", "Regel", "Detalj", "Rader"],
            data.Findings.Select(f => new[] { f.Severity, f.FindingId, f.FederationId, f.Year?.ToString(CultureInfo.InvariantCulture) ?? "", f.Period ?? "", f.RuleId, f.Detail,
                f.AffectedRows?.ToString(CultureInfo.InvariantCulture) ?? Suppressed }.Select(t => new Html(E(t))).ToArray()), numericFrom: 7);

    }

    /// <summary>The manifest in brief: the input files per federation and kind.</summary>
    private static void ManifestSection(Page page, int version)
    {
        var (html, data) = (page.Html, page.Data);
        html.Append("<h2 id=\"underlag\">Underlag (manifest)</h2>\n");
        html.Append($"<p>Version {version}, byggd av {data.Inputs.Count} indatafiler. Hela förteckningen med SHA-256 för varje indatafil, SQL-modell och referensfil finns i <code>manifest.json</code> bredvid denna rapport.</p>\n");
        Table(html, "table-underlag", ["Förbund", "Typ", "Filer", "Första månad", "Senaste månad", "Senast inläst (UTC)"],
            data.Inputs.GroupBy(i => (i.Federation, i.Kind)).OrderBy(g => g.Key.Federation, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
                .Select(g => new[] { g.Key.Federation, g.Key.Kind, g.Count().ToString(CultureInfo.InvariantCulture), g.Min(i => i.Period)!, g.Max(i => i.Period)!,
                    g.Max(i => i.IngestedAt)?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "" }.Select(t => new Html(E(t))).ToArray()), numericFrom: 2, numericTo: 2);

    }
}
