using System.Globalization;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Contract;

/// <summary>
/// The longest line and the longest field a text file may have, in characters (without the line break). Set by
/// <c>Finsam__Limits__MaxLineLength</c> and <c>Finsam__Limits__MaxFieldLength</c>. A line or field over its limit is an error
/// (<c>line_too_long</c>, <c>field_too_long</c>) with the start of the value, and the parsers never hold more of an over-long
/// line than they must: a file of one endless line costs no more memory than its bytes.
/// </summary>
public sealed record TextLimits(int MaxLineLength = TextLimits.DefaultMaxLineLength, int MaxFieldLength = TextLimits.DefaultMaxFieldLength)
{
    public const int DefaultMaxLineLength = 100_000;
    public const int DefaultMaxFieldLength = 10_000;

    public static TextLimits Default { get; } = new();

    /// <summary>Characters of an over-long value shown in a report, followed by "…".</summary>
    public const int ExcerptLength = 40;

    /// <summary>
    /// The first <paramref name="length"/> characters of a value and "…" (or the value when it is short), with identity numbers
    /// masked. The mask is applied before the cut, so a number the cut splits is masked too.
    /// </summary>
    public static string Excerpt(ReadOnlySpan<char> value, int length = ExcerptLength)
    {
        if (value.Length <= length) return FreeTextMasker.Masked(value.ToString());
        // An identity number is at most 13 characters: one that starts before the cut ends within 16 characters after it.
        var start = FreeTextMasker.Masked(value[..Math.Min(value.Length, length + 16)].ToString());
        return start[..Math.Min(start.Length, length)] + "…";
    }

    /// <summary>Reports a line longer than <see cref="MaxLineLength"/>; <paramref name="start"/> is its beginning (<see cref="TextOverLimit.StartLength"/> characters).</summary>
    public void LineTooLong(ValidationReport report, int line, ReadOnlySpan<char> start, long length) =>
        report.Error("line_too_long", line, null, Excerpt(start),
            $"Raden är {Number(length)} tecken lång; den längsta rad som tas emot är {Number(MaxLineLength)} tecken. " +
            "Filen är skadad eller ingen export från systemet; exportera den igen.",
            $"The line is {Number(length)} characters long; the longest line accepted is {Number(MaxLineLength)} characters. " +
            "The file is damaged or not an export from the system; export it again.");

    /// <summary>Reports a field longer than <see cref="MaxFieldLength"/>; <paramref name="length"/> null when only known to be longer.</summary>
    public void FieldTooLong(ValidationReport report, int line, string column, ReadOnlySpan<char> start, long? length) =>
        report.Error("field_too_long", line, column, Excerpt(start),
            length is { } n
                ? $"Fältet är {Number(n)} tecken långt; det längsta fält som tas emot är {Number(MaxFieldLength)} tecken."
                : $"Fältet är längre än {Number(MaxFieldLength)} tecken, det längsta fält som tas emot (ofta ett citattecken som aldrig stängs).",
            length is { } m
                ? $"The field is {Number(m)} characters long; the longest field accepted is {Number(MaxFieldLength)} characters."
                : $"The field is longer than {Number(MaxFieldLength)} characters, the longest field accepted (often a quote that is never closed).");

    /// <summary>Reports what <see cref="DelimitedText"/> found over the limits; a field's column is named from the header.</summary>
    public void Report(ValidationReport report, TextOverLimit over, IReadOnlyList<string> header)
    {
        if (over.Field is not { } field) LineTooLong(report, over.Line, over.Start, over.Length ?? MaxLineLength + 1L);
        else FieldTooLong(report, over.Line, field < header.Count ? header[field] : $"fält {field + 1}", over.Start, over.Length);
        if (over.EndsReading) report.StopReading(over.Line);
    }

    /// <summary>A number as both languages can read it: 100 000.</summary>
    private static string Number(long value) => value.ToString("#,0", SpaceGrouped);

    private static readonly NumberFormatInfo SpaceGrouped = new() { NumberGroupSeparator = " ", NumberGroupSizes = [3] };
}
