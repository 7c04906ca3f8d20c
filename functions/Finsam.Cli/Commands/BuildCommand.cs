using System.CommandLine;
using System.Globalization;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam build`: run the SQL models and assertions, write kpi, kpi_catalog and quality, print the main KPIs.</summary>
public static class BuildCommand
{
    /// <summary>The KPIs in the summary table: id, dimension, column title.</summary>
    private static readonly (string Kpi, string Dimension, string Title)[] SummaryKpis =
    [
        ("medelstilldelning", "", "Medelstilldelning"),
        ("kostnad_total", "", "Kostnader"),
        ("kostnad_andel", "administration", "Adm. andel kostn."),
        ("admin_andel_medelstilldelning", "", "Adm. / medel"),
        ("eget_kapital_andel", "", "Eget kap. / medel"),
        ("deltagare_unika", "", "Deltagare"),
        ("nya", "", "Nya"),
        ("avslutade", "", "Avslutade"),
        ("avslut_arbete_studier_andel", "", "Arbete/studier"),
        ("kostnad_per_deltagare", "", "Kr/deltagare"),
    ];

    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var command = new Command("build", "Run the SQL models over the curated data; write kpi, kpi_catalog and quality; print the main KPIs and the data-quality findings.");
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            using var build = await services.GetRequiredService<ModelBuilder>().BuildAsync(Progress(console), saveOutputs: true, ct);
            PrintKpis(console, build);
            PrintFindings(console, build);
            console.MarkupLineInterpolated($"Built {build.Project.Models.Count} models; wrote {string.Join(", ", ModelBuild.Outputs.Select(o => $"{Containers.Curated}/{CuratedLayout.ModelOutput(o)}"))}.");
            if (build.AssertionFailures.Count == 0) return CliApp.Ok;
            foreach (var failure in build.AssertionFailures)
                console.MarkupLineInterpolated($"[red]Assertion {failure.RelativePath} failed: {failure.Rows.Rows.Count} row(s).[/]");
            return CliApp.InputRejected;
        }));
        return command;
    }

    /// <summary>Build steps with the time since the command started.</summary>
    public static IProgress<string> Progress(IAnsiConsole console)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return new SynchronousProgress<string>(step => console.MarkupLineInterpolated($"[grey]{clock.Elapsed:mm\\:ss} {step}[/]"));
    }

    /// <summary>
    /// One row per level and year, latest year first. A year not yet complete is marked "prel." beside its latest month;
    /// a value a data-quality error affects gets " (b)" (brist), and one it withholds is "brist"; the findings follow.
    /// </summary>
    private static void PrintKpis(IAnsiConsole console, ModelBuild build)
    {
        var rows = build.Session.Query("""
            select scope, scope_id, period, through_period, kpi_id, dimension, value, unit, status, federations,
                value is null and numerator is null and denominator is null as withheld
            from kpi
            where scope in ('forbund', 'lan', 'alla') and period_type = 'ar' and kon = 'T'
            order by scope = 'alla', scope = 'lan', scope_id, period desc
            """).Records().ToList();
        var table = new Table().Title("Nyckeltal / KPIs (year to date)").AddColumn("Förbund / federation").AddColumn("År (t.o.m.)");
        foreach (var (_, _, title) in SummaryKpis) table.AddColumn(new TableColumn(title).RightAligned());
        var anyBrist = false;
        foreach (var group in rows.GroupBy(r => ((string)r["scope_id"]!, (string)r["period"]!, (string)r["through_period"]!)))
        {
            var preliminary = group.Any(r => (string)r["status"]! == "preliminar") || string.CompareOrdinal(group.Key.Item3, group.Key.Item2 + "-12") < 0;
            var cells = new List<string> { group.Key.Item1, $"{group.Key.Item2} ({group.Key.Item3}{(preliminary ? ", prel." : "")}{Covered(group.ToList())})" };
            foreach (var (kpi, dimension, _) in SummaryKpis)
            {
                var row = group.FirstOrDefault(r => (string)r["kpi_id"]! == kpi && (string)r["dimension"]! == dimension);
                cells.Add(row is null ? "–" : WithStatus(Format(row["value"] as decimal?, (string?)row["unit"]), (bool)row["withheld"]!, (string)row["status"]!));
                anyBrist |= row is not null && (string)row["status"]! == "brist";
            }
            table.AddRow(cells.Select(c => new Text(c)).ToArray());
        }
        console.Write(table);
        console.MarkupLine("[grey]prel. = preliminär: året är inte komplett / the year is not complete." +
                           (anyBrist ? " (b) = brist: ett datakvalitetsfel påverkar värdet, \"brist\" = undanhållet; se fynden / a data-quality error affects the value, \"brist\" = withheld; see the findings." : "") + "[/]");
    }

    /// <summary>
    /// For a county's or all federations' year: how many federations its values cover, a range when they differ (an error
    /// withholds a member's finance but not its participants); withheld values cover none and are left out.
    /// </summary>
    private static string Covered(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        if (rows.Count == 0 || (string)rows[0]["scope"]! == "forbund") return "";
        var counts = rows.Where(r => !((string)r["status"]! == "brist" && (bool)r["withheld"]!)).Select(r => Convert.ToInt32(r["federations"])).DefaultIfEmpty(0).ToList();
        var (fewest, most) = (counts.Min(), counts.Max());
        return fewest == most ? $", {most} förb." : $", {fewest}–{most} förb.";
    }

    /// <summary>
    /// A value with its status: " (b)" when a data-quality error affects it, "brist" when it withholds it (a withheld row has
    /// no value, numerator or denominator; a value that does not exist, such as a share of no ended participants, keeps
    /// its numerator and denominator and reads "– (b)").
    /// </summary>
    public static string WithStatus(string value, bool withheld, string status) => status != "brist" ? value : withheld ? "brist" : value + " (b)";

    /// <summary>At most this many findings are listed one by one; all are in curated/models/quality.parquet.</summary>
    private const int ListedFindings = 25;

    private static void PrintFindings(IAnsiConsole console, ModelBuild build)
    {
        var summary = build.Session.Query("""
            select severity, rule_id, count(*) as findings, count(distinct federation_id) as federations, sum(affected_rows) as rows
            from quality group by all order by severity, rule_id
            """);
        if (summary.Rows.Count == 0)
        {
            console.MarkupLine("[green]Inga datakvalitetsfynd / no data-quality findings.[/]");
            return;
        }
        var totals = new Table().Title("Datakvalitet / data quality").AddColumns("Nivå / severity", "Regel / rule", "Fynd / findings", "Förbund / federations", "Rader / rows");
        foreach (var r in summary.Rows) totals.AddRow(r.Select(v => new Text(v?.ToString() ?? "")).ToArray());
        console.Write(totals);

        var findings = build.Session.Query($"select severity, finding_id, detail, affected_rows from quality order by severity, federation_id, year, period, rule_id, finding_id limit {ListedFindings + 1}");
        var table = new Table().AddColumns("Nivå / severity", "Fynd / finding", "Detalj / detail", "Rader / rows");
        foreach (var r in findings.Rows.Take(ListedFindings)) table.AddRow(r.Select(v => new Text(v?.ToString() ?? "")).ToArray());
        console.Write(table);
        if (findings.Rows.Count > ListedFindings)
            console.MarkupLine($"The first {ListedFindings} findings are listed; all are in {Containers.Curated}/{CuratedLayout.ModelOutput(ModelProject.QualityModel)} (or: finsam sql \"select * from quality\").");
    }

    public static string Format(decimal? value, string? unit) => value is not { } v ? "–" : unit switch
    {
        "andel" => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %",
        "kr" => v.ToString("#,0", CultureInfo.InvariantCulture).Replace(",", " ") + " kr",
        _ => v.ToString("#,0.##", CultureInfo.InvariantCulture).Replace(",", " "),
    };
}
