using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Publishing.Formats;

/// <summary>
/// A table as CSV, in two dialects: for Swedish Excel (UTF-8 with BOM, ';', decimal comma) and for tools
/// (UTF-8, ',', decimal point). Text cells that could run as formulas are neutralised in both. In the Swedish dialect a
/// suppressed row (a true <c>suppressed</c> column) shows its emptied counts and values as "..", as Statistics Sweden prints them.
/// </summary>
public static class CsvExport
{
    public enum Dialect { SwedishExcel, Tools }

    /// <summary>The columns a suppressed row empties.</summary>
    public static readonly string[] SuppressedColumns = ["value", "numerator", "denominator", "affected_rows"];

    public static byte[] Write(QueryResult table, Dialect dialect)
    {
        var excel = dialect == Dialect.SwedishExcel;
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: excel), leaveOpen: true))
        using (var csv = new CsvWriter(writer, new CsvConfiguration(System.Globalization.CultureInfo.InvariantCulture)
               {
                   Delimiter = excel ? ";" : ",",
                   NewLine = "\r\n",
                   ShouldQuote = args => args.Field is { } field && (field.Contains(excel ? ';' : ',') || field.Contains('"') || field.Contains('\n') || field.Contains('\r')),
               }))
        {
            foreach (var column in table.Columns) csv.WriteField(column);
            csv.NextRecord();
            var suppressed = excel ? IndexOf(table, "suppressed") : -1;
            var marked = table.Columns.Select(c => SuppressedColumns.Contains(c)).ToArray();
            foreach (var row in table.Rows)
            {
                var marker = suppressed >= 0 && row[suppressed] is true;
                for (var i = 0; i < row.Length; i++)
                    csv.WriteField(marker && marked[i] && row[i] is null ? Marker.Suppressed : CellText.Format(row[i], decimalComma: excel));
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }

    private static int IndexOf(QueryResult table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i] == column) return i;
        return -1;
    }
}
