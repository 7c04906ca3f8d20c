using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing.Formats;

namespace Finsam.Pipeline.Publishing;

/// <summary>nyckeltal.xlsx for members: one sheet per theme of the KPI catalog (titles from it), then the catalog and the quality findings.</summary>
public static class KpiWorkbook
{
    private static readonly (string Theme, string Sheet)[] Themes =
    [
        ("ekonomi", "Ekonomi"),
        ("deltagare", "Deltagare"),
        ("kostnadseffektivitet", "Kostnadseffektivitet"),
    ];

    private static readonly string[] KpiColumns =
    [
        "Nyckeltal (kpi_id)", "Titel", "Nivå (scope)", "Förbund/län (scope_id)", "Namn (scope_namn)", "Period", "T.o.m. månad (through_period)", "Kön (kon)",
        "Dimension", "Värde (value)", "Enhet (unit)", "Täljare (numerator)", "Nämnare (denominator)", "Flagga (flag)", "Status (status)",
        "Datakvalitetsfynd (findings)", "Antal förbund (federations)", "Skyddad (suppressed)",
    ];

    /// <summary>The value column as its unit says: a share as a percentage, an amount as kronor (the cell keeps its number).</summary>
    private static ExcelWorkbook.NumberFormat ValueFormat(object?[] row, int column) =>
        column != ValueColumn ? ExcelWorkbook.NumberFormat.General : row[UnitColumn] switch
        {
            "andel" => ExcelWorkbook.NumberFormat.Percent,
            "kr" => ExcelWorkbook.NumberFormat.Kronor,
            _ => ExcelWorkbook.NumberFormat.General,
        };

    private static readonly int ValueColumn = Array.IndexOf(KpiColumns, "Värde (value)");
    private static readonly int UnitColumn = Array.IndexOf(KpiColumns, "Enhet (unit)");

    public static byte[] Write(DuckDbSession session)
    {
        var sheets = new List<ExcelWorkbook.Sheet>();
        var known = string.Join(", ", Themes.Select(t => $"'{t.Theme}'"));
        foreach (var (theme, sheet) in Themes)
            sheets.Add(new ExcelWorkbook.Sheet(sheet, KpiColumns, Rows: session.Query($"""
                select k.kpi_id, c.titel_sv, k.scope, k.scope_id, k.scope_namn, k.period, k.through_period, k.kon, k.dimension,
                    k.value, k.unit, k.numerator, k.denominator, k.flag, k.status, k.findings, k.federations, k.suppressed
                from kpi_published as k
                join kpi_catalog as c on c.kpi_id = k.kpi_id
                where c.tema = '{theme}' or ('{theme}' = 'ekonomi' and coalesce(c.tema, '') not in ({known}))
                order by k.row_id
                """).Rows, Format: ValueFormat));
        var catalog = session.Query("select kpi_id, titel_sv, title_en, definition, population, formula, unit, numerator, denominator, by_gender, tema, depends_on from kpi_catalog order by kpi_id");
        sheets.Add(new ExcelWorkbook.Sheet("Katalog", ["Nyckeltal (kpi_id)", "Titel", "Title", "Definition", "Population", "Formel (formula)", "Enhet (unit)",
            "Täljare (numerator)", "Nämnare (denominator)", "Per kön (by gender)", "Tema (theme)", "Bygger på (depends_on)"], catalog.Rows));
        var quality = session.Query("select finding_id, federation_id, year, period, severity, rule_id, detail, affected_rows, suppressed from quality_published order by all");
        sheets.Add(new ExcelWorkbook.Sheet("Datakvalitet", ["Fynd (finding_id)", "Förbund", "År", "Månad", "Nivå (severity)", "Regel (rule_id)", "Detalj (detail)",
            "Berörda rader (affected_rows)", "Skyddad (suppressed)"], quality.Rows));
        return ExcelWorkbook.Write(sheets);
    }
}
