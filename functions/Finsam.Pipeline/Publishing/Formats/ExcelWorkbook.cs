using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Finsam.Pipeline.Publishing.Formats;

/// <summary>An .xlsx workbook: named sheets of rows (column title → value). Text is neutralised; bytes are deterministic.</summary>
public static partial class ExcelWorkbook
{
    public sealed record Sheet(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

    public static byte[] Write(IReadOnlyList<Sheet> sheets)
    {
        var workbook = new Dictionary<string, object>();
        foreach (var sheet in sheets)
        {
            if (sheet.Name.Length is 0 or > 31) throw new ArgumentException($"Sheet name '{sheet.Name}' must be 1–31 characters.");
            workbook[sheet.Name] = sheet.Rows.Select(row =>
            {
                var record = new Dictionary<string, object?>();
                for (var i = 0; i < sheet.Columns.Count; i++)
                    record[sheet.Columns[i]] = row[i] switch
                    {
                        string s => CellText.Neutralise(s),
                        decimal d => CellText.Normalise(d),
                        var v => v,
                    };
                return record;
            }).ToList();
        }
        using var buffer = new MemoryStream();
        buffer.SaveAs(workbook, configuration: new OpenXmlConfiguration { FastMode = false, AutoFilter = true, TableStyles = TableStyles.None });
        // MiniExcel names relationships with random GUIDs ("R6af5…"); number them in order of appearance instead.
        var ids = new Dictionary<string, string>();
        return DeterministicZip.Normalise(buffer.ToArray(), text => RandomRelationshipId().Replace(text,
            m => "\"" + (ids.TryGetValue(m.Groups[1].Value, out var id) ? id : ids[m.Groups[1].Value] = $"rIdFinsam{ids.Count + 1}") + "\""));
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"(R[0-9a-f]{32})\"")]
    private static partial System.Text.RegularExpressions.Regex RandomRelationshipId();
}
