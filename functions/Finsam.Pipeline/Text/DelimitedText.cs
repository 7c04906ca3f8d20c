using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Finsam.Pipeline.Text;

/// <summary>A record of a delimited file and the line it starts on.</summary>
public sealed record DelimitedRecord(int Line, string[] Fields);

/// <summary>Reads ';'- or ','-separated text with CsvHelper's RFC 4180 parser (quoted fields, embedded separators).</summary>
public static class DelimitedText
{
    /// <summary>The separator of the header line: ';' when it has one, else ','.</summary>
    public static char DetectDelimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Contains(';') ? ';' : ',';
    }

    public static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).Trim();
    }

    /// <summary>Every record, header included, with its starting line number (1-based). Blank lines are skipped.</summary>
    public static IEnumerable<DelimitedRecord> Read(string text, char delimiter)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            BadDataFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.None,
        };
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, config);
        while (parser.Read())
        {
            var record = parser.Record ?? [];
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            // RawRow is the physical line the record ends on; a quoted field may span lines.
            yield return new DelimitedRecord(parser.RawRow - NewlinesInside(record), record);
        }
    }

    private static int NewlinesInside(string[] fields)
    {
        var count = 0;
        foreach (var field in fields) count += field.AsSpan().Count('\n');
        return count;
    }
}
