using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SpreadsheetText = DocumentFormat.OpenXml.Spreadsheet.Text;

namespace Finsam.Pipeline.Publishing.Formats;

/// <summary>
/// An .xlsx workbook of named sheets of rows, written with the Open XML SDK: a bold header with a filter, text as inline
/// strings (neutralised as in the CSV files), numbers as numbers — a share formatted as a percentage and money as kronor,
/// the cell keeping its number — and the standard styles every reader takes (the fills <c>none</c> and <c>gray125</c>
/// that Excel writes itself). The same content gives the same bytes.
/// </summary>
public static partial class ExcelWorkbook
{
    /// <summary>How a number is shown; the cell keeps the number itself.</summary>
    public enum NumberFormat
    {
        General,
        /// <summary>0.288961 shown as 28,9 % (by the reader's locale).</summary>
        Percent,
        /// <summary>1234567 shown as 1 234 567 kr.</summary>
        Kronor,
    }

    /// <param name="Format">The format of a row's cell in a column (row, column); null: every number in its general format.</param>
    public sealed record Sheet(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, Func<object?[], int, NumberFormat>? Format = null);

    /// <summary>The cell formats of the stylesheet, by index: general, the header, a percentage, kronor.</summary>
    private const uint GeneralStyle = 0, HeaderStyle = 1, PercentStyle = 2, KronorStyle = 3;

    public static byte[] Write(IReadOnlyList<Sheet> sheets)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.AddNewPart<WorkbookStylesPart>("rIdStyles").Stylesheet = Styles();
            var sheetList = new Sheets();
            var filters = new DefinedNames();
            for (var i = 0; i < sheets.Count; i++)
            {
                var sheet = sheets[i];
                if (sheet.Name.Length is 0 or > 31) throw new ArgumentException($"Sheet name '{sheet.Name}' must be 1–31 characters.");
                var id = $"rIdSheet{i + 1}";
                workbookPart.AddNewPart<WorksheetPart>(id).Worksheet = Worksheet(sheet);
                sheetList.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Name = sheet.Name, SheetId = (uint)(i + 1), Id = id });
                filters.Append(new DefinedName($"'{sheet.Name.Replace("'", "''")}'!{FilterRange(sheet, absolute: true)}")
                {
                    Name = "_xlnm._FilterDatabase", LocalSheetId = (uint)i, Hidden = true,
                });
            }
            workbookPart.Workbook = new Workbook(sheetList, filters);
        }
        // The package names its own relationships with random ids ("R6af5…"); number them in order of appearance instead.
        var ids = new Dictionary<string, string>();
        return DeterministicZip.Normalise(buffer.ToArray(), xml => RandomRelationshipId().Replace(xml,
            m => "\"" + (ids.TryGetValue(m.Groups[1].Value, out var id) ? id : ids[m.Groups[1].Value] = $"rIdFinsam{ids.Count + 1}") + "\""));
    }

    private static Worksheet Worksheet(Sheet sheet)
    {
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var c = 0; c < sheet.Columns.Count; c++) header.Append(InlineText(Reference(c, 1), sheet.Columns[c], HeaderStyle));
        data.Append(header);
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            var values = sheet.Rows[r];
            var rowIndex = (uint)(r + 2);
            var row = new Row { RowIndex = rowIndex };
            for (var c = 0; c < sheet.Columns.Count; c++)
                if (Cell(Reference(c, rowIndex), values[c], sheet.Format?.Invoke(values, c) ?? NumberFormat.General) is { } cell) row.Append(cell);
            data.Append(row);
        }
        // The header stays in view while a reader scrolls.
        var views = new SheetViews(new SheetView(new Pane
        {
            VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
        }) { WorkbookViewId = 0 });
        return new Worksheet(views, data, new AutoFilter { Reference = FilterRange(sheet, absolute: false) });
    }

    private static string FilterRange(Sheet sheet, bool absolute)
    {
        var last = Column(Math.Max(0, sheet.Columns.Count - 1));
        var rows = sheet.Rows.Count + 1;
        return absolute ? $"$A$1:${last}${rows}" : $"A1:{last}{rows}";
    }

    /// <summary>A value as a cell: text inline (neutralised), a number in its format, true/false as a boolean; none for no value.</summary>
    private static Cell? Cell(string reference, object? value, NumberFormat format) => value switch
    {
        null => null,
        string s => InlineText(reference, CellText.Neutralise(s), GeneralStyle),
        bool b => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b ? "1" : "0") },
        decimal d => Number(reference, CellText.Normalise(d).ToString(CultureInfo.InvariantCulture), format),
        double d => Number(reference, d.ToString("R", CultureInfo.InvariantCulture), format),
        float f => Number(reference, f.ToString("R", CultureInfo.InvariantCulture), format),
        int or long or short or byte or uint or ulong => Number(reference, Convert.ToString(value, CultureInfo.InvariantCulture)!, format),
        _ => InlineText(reference, CellText.Format(value, decimalComma: false), GeneralStyle),
    };

    private static Cell Number(string reference, string invariant, NumberFormat format) => new()
    {
        CellReference = reference, CellValue = new CellValue(invariant),
        StyleIndex = format switch { NumberFormat.Percent => PercentStyle, NumberFormat.Kronor => KronorStyle, _ => GeneralStyle },
    };

    private static Cell InlineText(string reference, string text, uint style) => new(new InlineString(new SpreadsheetText(text) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style,
    };

    private static string Reference(int column, uint row) => Column(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>A, B, … Z, AA, AB …</summary>
    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);

    /// <summary>
    /// The stylesheet: the fonts (regular, bold), the two fills every workbook has (none, gray125), one border, and the
    /// cell formats general, header (bold), percentage with one decimal and whole kronor.
    /// </summary>
    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "#,##0\\ \"kr\"" }) { Count = 2 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 164, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true }) { Count = 4 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    [System.Text.RegularExpressions.GeneratedRegex("\"(R[0-9a-f]{16,32})\"")]
    private static partial System.Text.RegularExpressions.Regex RandomRelationshipId();
}
