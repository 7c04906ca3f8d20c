using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Finsam.Pipeline.Text;

/// <summary>A record of a delimited file and the line it starts on.</summary>
public sealed record DelimitedRecord(int Line, string[] Fields);

/// <summary>
/// A line (<paramref name="Field"/> null) or a field (its index in the record) over the limits: its first characters and its
/// length, null when it is only known to be longer. <paramref name="EndsReading"/>: nothing after it was read.
/// </summary>
public sealed record TextOverLimit(int Line, int? Field, string Start, long? Length, bool EndsReading = false)
{
    /// <summary>Characters kept of an over-long value, for a report.</summary>
    public const int StartLength = 64;
}

/// <summary>Reads ';'- or ','-separated text with CsvHelper's RFC 4180 parser (quoted fields, embedded separators).</summary>
public static class DelimitedText
{
    /// <summary>The separator of the header line: ';' when it has one, else ','.</summary>
    public static char DetectDelimiter(DelimitedSource source) => DetectDelimiter(source.Start());

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
    public static IEnumerable<DelimitedRecord> Read(DelimitedSource text, char delimiter) => Read(text, delimiter, int.MaxValue, int.MaxValue, null);

    /// <summary>
    /// Every record, header included, with its starting line number (1-based); blank lines are skipped. A line longer than
    /// <paramref name="maxLine"/> characters is never held whole: it is given to <paramref name="onOverLimit"/> and read as a blank
    /// line. A record with a field longer than <paramref name="maxField"/> is given to it and left out. A quoted field that grows
    /// past twice that over several lines (a quote never closed) ends the reading, as nothing after it can be told apart.
    /// <paramref name="shareRepeatedFields"/>: a field equal to one read before is the same string (CsvHelper looks each one
    /// up as it is read); without, each field is a string of its own, and the reader is a third faster, for a caller that
    /// shares what it keeps itself, away from the reading thread.
    /// </summary>
    public static IEnumerable<DelimitedRecord> Read(DelimitedSource text, char delimiter, int maxLine, int maxField, Action<TextOverLimit>? onOverLimit,
        bool shareRepeatedFields = true)
    {
        var limited = maxField < int.MaxValue / 4;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            BadDataFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.None,
            CacheFields = shareRepeatedFields,
            // Counted as written, quotes included ("" is two), so a field within the limit never reaches it.
            MaxFieldSize = limited ? 2.0 * maxField + 2 : 0,
        };
        var reader = text.Open();
        if (maxLine < int.MaxValue)
            reader = new LineLimitedReader(reader, maxLine, (line, start, length) => onOverLimit?.Invoke(new TextOverLimit(line, null, start, length)));
        using var parser = new CsvParser(reader, config);
        while (true)
        {
            bool read;
            TextOverLimit? endless = null;
            try
            {
                read = parser.Read();
            }
            catch (MaxFieldSizeException)
            {
                read = false;
                var raw = parser.RawRecord;
                var start = raw.AsSpan(FieldStart(raw, delimiter, parser.Count));
                endless = new TextOverLimit(parser.RawRow - NewlinesInside([raw]), parser.Count, start[..Math.Min(start.Length, TextOverLimit.StartLength)].ToString(), null, EndsReading: true);
            }
            if (endless is not null) onOverLimit?.Invoke(endless);
            if (!read) yield break;
            var record = parser.Record ?? [];
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            // RawRow is the physical line the record ends on; a quoted field may span lines.
            var line = parser.RawRow - NewlinesInside(record);
            if (limited && FieldsOverLimit(record, line, maxField, onOverLimit)) continue;
            yield return new DelimitedRecord(line, record);
        }
    }

    /// <summary>Where field <paramref name="field"/> of a record as written starts: after as many separators outside quotes.</summary>
    private static int FieldStart(string raw, char delimiter, int field)
    {
        var inQuotes = false;
        for (var i = 0; i < raw.Length && field > 0; i++)
        {
            if (raw[i] == '"') inQuotes = !inQuotes;
            else if (raw[i] == delimiter && !inQuotes && --field == 0) return i + 1;
        }
        return 0;
    }

    private static bool FieldsOverLimit(string[] record, int line, int maxField, Action<TextOverLimit>? onOverLimit)
    {
        var over = false;
        for (var i = 0; i < record.Length; i++)
        {
            if (record[i].Length <= maxField) continue;
            onOverLimit?.Invoke(new TextOverLimit(line, i, record[i][..TextOverLimit.StartLength], record[i].Length));
            over = true;
        }
        return over;
    }

    private static int NewlinesInside(string[] fields)
    {
        var count = 0;
        foreach (var field in fields) count += field.AsSpan().Count('\n');
        return count;
    }
}
