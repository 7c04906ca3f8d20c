using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Publishing.Formats;

/// <summary>
/// A table as CSV, in two dialects: for Swedish Excel (UTF-8 with BOM, ';', decimal comma) and for tools
/// (UTF-8, ',', decimal point). Text cells that could run as formulas are neutralised in both.
/// </summary>
public static class CsvExport
{
    public enum Dialect { SwedishExcel, Tools }

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
            foreach (var row in table.Rows)
            {
                foreach (var value in row) csv.WriteField(CellText.Format(value, decimalComma: excel));
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }
}
