using System.Text;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ledger;

namespace Finsam.Pipeline.Sie;

/// <summary>What a SIE file says about itself (#FLAGGA, #PROGRAM, #ORGNR …); <see cref="OrgNumberLine"/> is the line of #ORGNR.</summary>
public sealed record SieHeader(string? Program, string? SieType, string? OrgNumber, string? CompanyName, DateOnly? FiscalYearStart, DateOnly? FiscalYearEnd,
    int? OrgNumberLine = null);

/// <summary>
/// Streaming reader of SIE 4 (4E and 4I) ledger exports, written against the SIE 4 specification
/// ("SIE filformat", utgåva 4B, 2008-09-30). Text is decoded as codepage 437 (#FORMAT PC8), the only character set SIE 4
/// allows. Keeps vouchers (#VER with #TRANS and #RTRANS; #BTRANS rows are removed rows and are left out), the current
/// year's opening balances (#IB 0) and the previous year's result (#RES -1); verifies #KSUMMA when the file has one.
/// Other known records are read and checked for form; unknown records give a warning and are ignored.
/// </summary>
public sealed class SieParser
{
    /// <summary>Records the pipeline reads but does not keep.</summary>
    internal static readonly HashSet<string> KnownRecords = new(StringComparer.Ordinal)
    {
        "#FLAGGA", "#FORMAT", "#SIETYP", "#PROGRAM", "#GEN", "#FNAMN", "#ORGNR", "#RAR", "#KONTO", "#KTYP",
        "#DIM", "#UNDERDIM", "#OBJEKT", "#IB", "#UB", "#OIB", "#OUB", "#RES", "#PSALDO", "#PBUDGET", "#VER",
        "#TRANS", "#RTRANS", "#BTRANS", "#ADRESS", "#FNR", "#BKOD", "#FTYP", "#KPTYP", "#VALUTA", "#TAXAR",
        "#OMFATTN", "#PROSA", "#SRU", "#ENHET", "#KSUMMA",
    };

    /// <summary>Warnings a file gives once, however many times the pattern occurs (the first occurrence names its line).</summary>
    private static readonly HashSet<string> OncePerFile = new(StringComparer.Ordinal) { "sie_rtrans_without_copy", "sie_rtrans_copy_out_of_place" };

    public static Encoding Codepage437
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(437);
        }
    }

    /// <summary>Files larger than this are read in parts, one per core, split where a voucher starts.</summary>
    private const int ParallelThresholdBytes = 2 << 20;

    /// <summary>Parses a SIE 4 file: codepage 437, or <paramref name="encoding"/> where the validator found the file written in another.</summary>
    public static (ParsedLedger Ledger, SieHeader Header) Parse(byte[] content, Period period, ValidationReport report, TextLimits? limits = null, Encoding? encoding = null)
    {
        limits ??= TextLimits.Default;
        encoding ??= Codepage437;
        // A checksum runs over the whole file in order: a file with one is read in one part.
        var parts = HasChecksum(content) ? [(0, content.Length, 1)] : Split(content);
        // A #TRANS line is about 45 bytes: room for the rows up front, so their array rarely grows.
        var states = parts.Select((part, i) => new SieParseState(period, new ValidationReport(), limits, encoding, isContinuation: i > 0, expectedRows: part.Length / 40)).ToArray();
        Parallel.For(0, parts.Count, i =>
        {
            var (offset, length, firstLine) = parts[i];
            var lineNumber = firstLine - 1;
            SieLineReader.ForEachLine(content, offset, length, limits.MaxLineLength, encoding,
                line => states[i].Line(line, ++lineNumber),
                (start, lineLength) => states[i].LineTooLong(start, lineLength, ++lineNumber));
            states[i].End();
        });

        var header = states[0].Header();
        var ledger = new ParsedLedger { Format = "sie4" };
        var warned = new HashSet<string>();
        foreach (var state in states)
        {
            ledger.Vouchers.AddRange(state.Vouchers);
            ledger.MaskedTexts += state.MaskedTexts;
            foreach (var (line, account, amount) in state.OpeningBalances)
                ledger.OpeningBalances.Add(new ParsedOpeningBalance(header.FiscalYearStart ?? new DateOnly(period.Year, 1, 1), account, amount, line));
            if (state.PreviousYearResult is { } result) ledger.PreviousYearResult = (ledger.PreviousYearResult ?? 0m) + result;
            // Each part warns once per unknown record and once per pattern of OncePerFile; the file as a whole warns once.
            report.MergePart(state.Report, issue =>
                issue.Code == "sie_unknown_record" ? warned.Add(issue.Value ?? "") : !OncePerFile.Contains(issue.Code) || warned.Add(issue.Code));
            if (report.ReadingStopped) break; // the parts after it count as not read, however the file was split
        }
        return (ledger, header);
    }

    /// <summary>Whether the file has a #KSUMMA record (as exporters write the label: in capitals).</summary>
    /// <remarks>Labels are read in any case: every "#K" and every "#k" is looked at (two vectorised searches; a file has few).</remarks>
    private static bool HasChecksum(byte[] content) => HasChecksum(content, "#K"u8) || HasChecksum(content, "#k"u8);

    private static bool HasChecksum(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> start)
    {
        for (var at = rest.IndexOf(start); at >= 0; at = rest.IndexOf(start))
        {
            if (rest.Length - at >= 7 && System.Text.Ascii.EqualsIgnoreCase(rest.Slice(at, 7), "#KSUMMA"u8)) return true;
            rest = rest[(at + 1)..];
        }
        return false;
    }

    /// <summary>(offset, length, first line number) of each part: the whole file, or parts that start with a #VER line.</summary>
    private static List<(int Offset, int Length, int FirstLine)> Split(byte[] content)
    {
        var partCount = Math.Clamp(Environment.ProcessorCount, 1, 4);
        if (content.Length < ParallelThresholdBytes || partCount == 1) return [(0, content.Length, 1)];
        var starts = new List<int> { 0 };
        for (var k = 1; k < partCount; k++)
        {
            var from = Math.Max(content.Length * k / partCount, starts[^1] + 1);
            var at = content.AsSpan(from).IndexOf("\n#VER "u8);
            if (at >= 0) starts.Add(from + at + 1);
        }
        var parts = new List<(int, int, int)>();
        var line = 1;
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : content.Length;
            parts.Add((starts[i], end - starts[i], line));
            // Lines end at \r\n, \n or a lone \r, as the line reader counts them (a part starts after a \n, so no \r\n is split).
            var part = content.AsSpan(starts[i], end - starts[i]);
            line += part.Count((byte)'\n') + part.Count((byte)'\r') - part.Count("\r\n"u8);
        }
        return parts;
    }
}
