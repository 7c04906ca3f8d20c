using System.Text;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Text;

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
    private static readonly HashSet<string> KnownRecords = new(StringComparer.Ordinal)
    {
        "#FLAGGA", "#FORMAT", "#SIETYP", "#PROGRAM", "#GEN", "#FNAMN", "#ORGNR", "#RAR", "#KONTO", "#KTYP",
        "#DIM", "#UNDERDIM", "#OBJEKT", "#IB", "#UB", "#OIB", "#OUB", "#RES", "#PSALDO", "#PBUDGET", "#VER",
        "#TRANS", "#RTRANS", "#BTRANS", "#ADRESS", "#FNR", "#BKOD", "#FTYP", "#KPTYP", "#VALUTA", "#TAXAR",
        "#OMFATTN", "#PROSA", "#SRU", "#ENHET", "#KSUMMA",
    };

    /// <summary>Warnings a file gives once, however many times the pattern occurs (the first occurrence names its line).</summary>
    private static readonly HashSet<string> OncePerFile = new(StringComparer.Ordinal) { "sie_rtrans_without_copy" };

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
        var states = parts.Select((part, i) => new ParseState(period, new ValidationReport(), limits, encoding, isContinuation: i > 0, expectedRows: part.Length / 40)).ToArray();
        Parallel.For(0, parts.Count, i =>
        {
            var (offset, length, firstLine) = parts[i];
            var lineNumber = firstLine - 1;
            ForEachLine(content, offset, length, limits.MaxLineLength, encoding,
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

    /// <summary>Bytes decoded at a time: blocks of whole lines, so a line never spans two blocks.</summary>
    private const int BlockBytes = 1 << 16;

    /// <summary>
    /// Calls <paramref name="onLine"/> for each line of the bytes, split as StreamReader.ReadLine splits
    /// them (at \r\n, \n or \r), until it returns false. Blocks of whole lines are decoded into one buffer that is reused,
    /// so no string is made per line; a line is only valid during its call. Lines are found in the bytes (codepage 437 and
    /// Windows-1252 have one char per byte; UTF-8 never has a line break inside a character, and no more chars than bytes): a line longer than <paramref name="maxLine"/> is never decoded, only its first characters,
    /// which go to <paramref name="onTooLong"/> with its length.
    /// </summary>
    private static void ForEachLine(byte[] content, int offset, int length, int maxLine, Encoding encoding,
        Func<ReadOnlyMemory<char>, bool> onLine, Func<ReadOnlyMemory<char>, long, bool> onTooLong)
    {
        var buffer = new char[BlockBytes + 1];
        var end = offset + length;
        for (var blockStart = offset; blockStart < end;)
        {
            var window = content.AsSpan(blockStart, Math.Min(BlockBytes, end - blockStart));
            var blockLength = window.Length;
            if (blockStart + window.Length < end)
            {
                var lastBreak = window.LastIndexOfAny((byte)'\r', (byte)'\n');
                if (lastBreak < 0)
                {
                    // A line longer than a block: decoded alone if it is within the limit, else skipped.
                    var next = content.AsSpan(blockStart, end - blockStart).IndexOfAny((byte)'\r', (byte)'\n');
                    var lineLength = next < 0 ? end - blockStart : next;
                    var keepLength = lineLength <= maxLine ? lineLength : Math.Min(lineLength, TextOverLimit.StartLength);
                    if (buffer.Length < keepLength) buffer = new char[keepLength];
                    var line = buffer.AsMemory(0, encoding.GetChars(content, blockStart, keepLength, buffer, 0));
                    if (!(lineLength <= maxLine ? onLine(line) : onTooLong(line, lineLength))) return;
                    blockStart += lineLength;
                    if (blockStart < end) blockStart += content[blockStart] == '\r' && blockStart + 1 < end && content[blockStart + 1] == '\n' ? 2 : 1;
                    continue;
                }
                blockLength = lastBreak + 1;
                // A \r\n stays in one block, or the \n would count as a line of its own.
                if (content[blockStart + lastBreak] == '\r' && blockStart + blockLength < end && content[blockStart + blockLength] == '\n') blockLength++;
            }
            var text = buffer.AsMemory(0, encoding.GetChars(content, blockStart, blockLength, buffer, 0));
            for (var start = 0; start < text.Length;)
            {
                var at = text.Span[start..].IndexOfAny('\r', '\n');
                var line = at < 0 ? text[start..] : text.Slice(start, at);
                if (!(line.Length <= maxLine ? onLine(line) : onTooLong(line, line.Length))) return;
                if (at < 0) break;
                start += at + (text.Span[start + at] == '\r' && start + at + 1 < text.Length && text.Span[start + at + 1] == '\n' ? 2 : 1);
            }
            blockStart += blockLength;
        }
    }

    /// <summary>Whether the file has a #KSUMMA record (as exporters write the label: in capitals).</summary>
    private static bool HasChecksum(byte[] content) => content.AsSpan().IndexOf("#KSUMMA"u8) >= 0;

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
            line += content.AsSpan(starts[i], end - starts[i]).Count((byte)'\n');
        }
        return parts;
    }

    /// <summary>Reads the lines of a file, or of a part of it that starts where a voucher starts.</summary>
    private sealed class ParseState(Period period, ValidationReport report, TextLimits limits, System.Text.Encoding encoding, bool isContinuation, int expectedRows)
    {
        public ValidationReport Report => report;
        public List<ParsedVoucher> Vouchers { get; } = [];
        /// <summary>The rows of all vouchers, in order; where each voucher's rows start.</summary>
        private ParsedTransaction[] _rows = new ParsedTransaction[Math.Max(16, expectedRows)];
        private int _rowCount;
        private readonly List<int> _voucherStarts = [];
        public int MaskedTexts { get; private set; }
        private readonly SieLine _line = new();
        private readonly StringPool _strings = new();
        private readonly StringBuilder _objectsBuffer = new();
        private ParsedVoucher? _voucher;
        private bool _inBlock;
        private int _blockLine;
        /// <summary>The row of the #RTRANS just read, whose copy as #TRANS is expected on the next line; its line.</summary>
        private ParsedTransaction? _rtrans;
        private string? _program, _sieType, _orgNumber, _companyName;
        private int? _orgNumberLine;
        private DateOnly? _yearStart, _yearEnd;
        private int _fiscalYearLine;
        public List<(int Line, string Account, decimal Amount)> OpeningBalances { get; } = [];
        /// <summary>The sum of #RES -1, when the file has any.</summary>
        public decimal? PreviousYearResult { get; private set; }
        private readonly HashSet<string> _warnedUnknown = [];
        /// <summary>The checksums of the records since the opening #KSUMMA (codepage 437, and the file's own encoding when it is another); its line.</summary>
        private SieChecksum[]? _checksums;
        private int _checksumLine;
        /// <summary>The line of the closing #KSUMMA, once read.</summary>
        private int? _checksumClosedLine;
        private bool _reportedAfterChecksum;

        public SieHeader Header() => new(_program, _sieType, _orgNumber, _companyName, _yearStart, _yearEnd, _orgNumberLine);

        /// <summary>Reads line <paramref name="n"/>; false once the report is full, and the rest is not read.</summary>
        public bool Line(ReadOnlyMemory<char> text, int n)
        {
            Read(text, n);
            return GoOn();
        }

        /// <summary>A line over the limit, of which only <paramref name="start"/> was decoded.</summary>
        public bool LineTooLong(ReadOnlyMemory<char> start, long length, int n)
        {
            _rtrans = null;
            limits.LineTooLong(report, n, start.Span, length);
            return GoOn();
        }

        private bool GoOn()
        {
            if (!report.IsFull) return true;
            report.StopReading();
            return false;
        }

        private void Read(ReadOnlyMemory<char> text, int n)
        {
            var trimmed = text.Span.Trim();
            if (trimmed.Length == 0) return;
            if (trimmed is "{") { OpenBlock(n); return; }
            if (trimmed is "}") { CloseBlock(n); return; }

            var problem = SieTokenizer.Tokenize(text, _line);
            if (problem is not null)
            {
                report.Error("sie_syntax", n, null, TextLimits.Excerpt(trimmed, 80), $"Raden kan inte läsas: {problem}.", $"The line cannot be read: {problem}.");
                return;
            }
            if (_line.FindFieldLongerThan(limits.MaxFieldLength, out var longValue) is { } longField)
            {
                _rtrans = null;
                limits.FieldTooLong(report, n, SieFieldNames.Column(_line[0], longField), longValue, longValue.Length);
                return;
            }
            var labelSpan = _line[0];
            if (labelSpan.IsEmpty || labelSpan[0] != '#')
            {
                report.Error("sie_not_a_record", n, null, TextLimits.Excerpt(trimmed, 80),
                    "Raden är ingen SIE-post (en post börjar med #).", "The line is not a SIE record (a record starts with #).");
                return;
            }
            var label = labelSpan.ContainsAnyInRange('a', 'z') ? labelSpan.ToString().ToUpperInvariant() : _strings.Get(labelSpan);
            if (label != "#TRANS") EndRtrans(withCopy: false);
            if (label != "#KSUMMA") AddToChecksum(n, label);

            if (_inBlock && label is not ("#TRANS" or "#RTRANS" or "#BTRANS"))
            {
                report.Error("sie_record_in_voucher", n, null, label,
                    $"Posten {label} får inte stå inom en verifikations {{ }}.", $"The record {label} may not appear inside a voucher's {{ }}.");
                return;
            }

            switch (label)
            {
                case "#FORMAT":
                    if (!_line[1].Equals("PC8", StringComparison.OrdinalIgnoreCase))
                        report.Error("sie_format", n, "#FORMAT", _line.String(1), "Endast #FORMAT PC8 (teckentabell 437) stöds i SIE 4.", "Only #FORMAT PC8 (codepage 437) is allowed in SIE 4.");
                    break;
                case "#SIETYP":
                    _sieType = _line.String(1);
                    if (_sieType != "4")
                        report.Error("sie_type", n, "#SIETYP", _sieType, "Filen måste vara SIE typ 4 (verifikationer och transaktioner).", "The file must be SIE type 4 (vouchers and transactions).");
                    break;
                case "#PROGRAM": _program = string.Join(' ', Enumerable.Range(1, _line.Count - 1).Select(_line.String)); break;
                case "#FNAMN": _companyName = _line.String(1); break;
                case "#ORGNR":
                    _orgNumber = _line.String(1);
                    _orgNumberLine = n;
                    break;
                case "#RAR": ReadFiscalYear(n); break;
                case "#IB": ReadOpeningBalance(n); break;
                case "#UB": TryAmount(_line[3], n, $"{label} saldo", out _); break; // årsnr konto saldo
                case "#RES": ReadResult(n); break;
                case "#VER": StartVoucher(n); break;
                case "#TRANS":
                    if (ReadTransaction(n, label) is not { } row)
                    {
                        _rtrans = null;
                        break;
                    }
                    // SIE 4B, #RTRANS items 4 and 6: an added row is followed by the same row as #TRANS for readers that do not
                    // know #RTRANS, and a reader that knows it skips that #TRANS. Exporters write the copy without the
                    // signature, or with the voucher's date and a shorter text (Fortnox, BL Administration): it is the copy
                    // when its account, object list and amount are the added row's.
                    if (EndRtrans(withCopy: row.Account == _rtrans?.Account && row.CostObjects == _rtrans?.CostObjects && row.Amount == _rtrans?.Amount))
                    {
                        MaskedTexts -= _lastMasked;
                        break;
                    }
                    AddRow(row);
                    break;
                case "#RTRANS":
                    if (ReadTransaction(n, label) is not { } added) break;
                    AddRow(added);
                    _rtrans = added;
                    break;
                case "#BTRANS":
                    // SIE 4B, #BTRANS: a removed row, kept in the file for the audit trail; it is not part of the voucher.
                    if (RequireVoucher(n, label)) _voucher!.RemovedRows++;
                    break;
                case "#KSUMMA": ReadChecksum(n); break;
                default:
                    if (!KnownRecords.Contains(label) && _warnedUnknown.Add(label))
                        report.Warning("sie_unknown_record", n, null, label,
                            $"Okänd post {label} ignoreras.", $"Unknown record {label} is ignored.");
                    break;
            }
        }

        public void End()
        {
            EndRtrans(withCopy: false);
            ParsedVoucher.AssignTransactions(Vouchers, _voucherStarts, _rows, _rowCount);
            if (report.ReadingStopped) return; // what was not read is not checked
            if (_inBlock)
                report.Error("sie_block_open", _blockLine, null, "{", "Verifikationens { stängs aldrig med }.", "The voucher's { is never closed with }.");
            if (_checksums is not null && _checksumClosedLine is null)
                // SIE 4B 10.6: the opening #KSUMMA promises a checksum at the end; without it the file was cut short.
                report.Error("sie_checksum", _checksumLine, "#KSUMMA", null,
                    "Filen börjar med #KSUMMA men slutar utan kontrollsumma (#KSUMMA med ett tal): filen är avkortad. Exportera den igen.",
                    "The file opens with #KSUMMA but ends without its checksum (#KSUMMA with a number): the file was cut short. Export it again.");
            if (isContinuation) return; // the file's header is in the first part
            if (_sieType is null)
                report.Error("sie_type", 1, "#SIETYP", null, "Posten #SIETYP saknas; filen måste vara SIE typ 4.", "The record #SIETYP is missing; the file must be SIE type 4.");
            if (_yearStart is not { } start || _yearEnd is not { } end) return;
            if (start != new DateOnly(start.Year, 1, 1) || end != new DateOnly(start.Year, 12, 31))
                // A federation keeps its books by the municipal accounting law (SFS 2018:597), whose fiscal year is the calendar year.
                report.Error("sie_fiscal_year", _fiscalYearLine, "#RAR", $"{start:yyyyMMdd} {end:yyyyMMdd}",
                    $"Räkenskapsåret enligt #RAR 0 är {start:yyyy-MM-dd}–{end:yyyy-MM-dd}, men ett samordningsförbunds räkenskapsår är kalenderåret (1 januari–31 december). " +
                    "Exportera från rätt bokföring, eller rätta räkenskapsåret i ekonomisystemet.",
                    $"The fiscal year given by #RAR 0 is {start:yyyy-MM-dd} to {end:yyyy-MM-dd}, but a federation's fiscal year is the calendar year (1 January to 31 December). " +
                    "Export from the right books, or correct the fiscal year in the accounting system.");
            else if (!(period.FirstDay >= start && period.LastDay <= end))
                report.Error("sie_fiscal_year", _fiscalYearLine, "#RAR", $"{start:yyyyMMdd} {end:yyyyMMdd}",
                    $"Leveransmånaden {period} ligger utanför räkenskapsåret enligt #RAR 0.", $"The landing month {period} lies outside the fiscal year given by #RAR 0.");
        }

        /// <summary>
        /// Ends the wait for an #RTRANS row's copy: true when <paramref name="withCopy"/> (the line is the copy, not counted);
        /// otherwise the added row had no copy after it, which SIE 4 requires (a warning: the row counts once either way).
        /// </summary>
        private bool EndRtrans(bool withCopy)
        {
            if (_rtrans is not { } added) return false;
            _rtrans = null;
            if (!withCopy)
                report.Warning("sie_rtrans_without_copy", added.Line, "#RTRANS", $"{added.Account} {added.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}",
                    "En tillagd rad (#RTRANS) följs inte av sin kopia (#TRANS med samma konto, objektlista och belopp) som SIE 4 föreskriver. Raden räknas en gång; " +
                    "raden efter den räknas som en egen rad. Gäller den första sådana raden i filen.",
                    "An added row (#RTRANS) is not followed by its copy (#TRANS with the same account, object list and amount) as SIE 4 requires. The row counts once; " +
                    "the row after it counts as a row of its own. Said of the first such row in the file.");
            return withCopy;
        }

        /// <summary>Adds a record to the checksum while one runs; a record after the closing #KSUMMA is not covered by it: an error.</summary>
        private void AddToChecksum(int n, string label)
        {
            if (_checksumClosedLine is { } closed)
            {
                if (_reportedAfterChecksum) return;
                _reportedAfterChecksum = true;
                report.Error("sie_checksum", n, "post", label,
                    $"Posten står efter filens kontrollsumma (#KSUMMA på rad {closed}) och omfattas inte av den: filen har ändrats efter exporten. Exportera den igen.",
                    $"The record comes after the file's checksum (#KSUMMA on line {closed}) and is not covered by it: the file was changed after export. Export it again.");
                return;
            }
            if (_checksums is null) return;
            foreach (var checksum in _checksums) checksum.Add(_line);
        }

        /// <summary>
        /// #KSUMMA (SIE 4B chapter 10): the first, without a value, starts the checksum; the second, with the checksum as a
        /// number, ends it. A checksum that differs means the file was edited or damaged after export: an error.
        /// </summary>
        private void ReadChecksum(int n)
        {
            if (_line[1].IsEmpty)
            {
                if (_checksums is not null || _checksumClosedLine is not null)
                {
                    report.Error("sie_checksum", n, "#KSUMMA", null,
                        "Filen har mer än en inledande #KSUMMA.", "The file has more than one opening #KSUMMA.");
                    return;
                }
                _checksumLine = n;
                _checksums = encoding.CodePage == 437 ? [new SieChecksum(encoding)] : [new SieChecksum(Codepage437), new SieChecksum(encoding)];
                return;
            }
            if (_checksums is null)
            {
                report.Error("sie_checksum", n, "#KSUMMA", _line.String(1),
                    _checksumClosedLine is null ? "Kontrollsumman (#KSUMMA med ett tal) saknar sin inledande #KSUMMA." : "Filen har mer än en kontrollsumma (#KSUMMA med ett tal).",
                    _checksumClosedLine is null ? "The checksum (#KSUMMA with a number) has no opening #KSUMMA before it." : "The file has more than one checksum (#KSUMMA with a number).");
                return;
            }
            var computed = _checksums[0].Value;
            var matches = uint.TryParse(_line[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var stated)
                && _checksums.Any(c => c.Value == stated);
            _checksums = null;
            _checksumClosedLine = n;
            if (!matches)
                report.Error("sie_checksum", n, "#KSUMMA", _line.String(1),
                    $"Filens kontrollsumma stämmer inte: #KSUMMA anger {_line.String(1)}, innehållet ger {computed}. Filen har ändrats eller skadats efter exporten; exportera den igen.",
                    $"The file's checksum does not match: #KSUMMA states {_line.String(1)}, its content gives {computed}. The file was edited or damaged after export; export it again.");
        }

        private void OpenBlock(int n)
        {
            if (_voucher is null || _inBlock)
            {
                report.Error("sie_block", n, null, "{", "En { utan föregående #VER.", "A { without a #VER before it.");
                return;
            }
            _inBlock = true;
            _blockLine = n;
        }

        private void CloseBlock(int n)
        {
            if (!_inBlock) report.Error("sie_block", n, null, "}", "En } utan matchande {.", "A } without a matching {.");
            _inBlock = false;
            _voucher = null;
        }

        private void ReadFiscalYear(int n)
        {
            if (_line[1] is not "0") return;
            if (CompactDate.TryParseCompact(_line[2], out var start) && CompactDate.TryParseCompact(_line[3], out var end) && start <= end)
            {
                _yearStart = start;
                _yearEnd = end;
                _fiscalYearLine = n;
            }
            else
            {
                report.Error("sie_date", n, "#RAR", $"{_line.String(2)} {_line.String(3)}",
                    "#RAR ska ha start- och slutdatum som ÅÅÅÅMMDD.", "#RAR must have a start and end date as YYYYMMDD.");
            }
        }

        private void ReadOpeningBalance(int n)
        {
            // #IB årsnr konto saldo kvantitet
            if (!TryAmount(_line[3], n, "#IB saldo", out var amount) || !TryAccount(_line[2], n, out var account)) return;
            if (_line[1] is "0") OpeningBalances.Add((n, account, amount));
        }

        private void ReadResult(int n)
        {
            // #RES årsnr konto saldo: the result accounts' balances; year -1 is the previous year.
            if (TryAmount(_line[3], n, "#RES saldo", out var amount) && _line[1] is "-1") PreviousYearResult = (PreviousYearResult ?? 0m) + amount;
        }

        private void StartVoucher(int n)
        {
            // #VER serie vernr verdatum vertext regdatum sign
            if (!CompactDate.TryParseCompact(_line[3], out var date))
            {
                var (sv, en) = CompactDate.NotInCalendar(_line[3]);
                report.Error("sie_date", n, "#VER verdatum", _line.String(3), "Verifikationsdatum ska vara ÅÅÅÅMMDD." + sv, "The voucher date must be YYYYMMDD." + en);
                date = period.FirstDay;
            }
            _voucher = new ParsedVoucher(_strings.Get(_line[1]), _line.String(2), date, Text(_line[4]), n);
            Vouchers.Add(_voucher);
            _voucherStarts.Add(_rowCount);
        }

        private bool RequireVoucher(int n, string label)
        {
            if (_inBlock && _voucher is not null) return true;
            report.Error("sie_transaction_outside_voucher", n, null, label,
                $"{label} står utanför en verifikations {{ }}.", $"{label} appears outside a voucher's {{ }}.");
            return false;
        }

        /// <summary>Reads a #TRANS or #RTRANS row; null (with its error reported) when it cannot be read.</summary>
        private ParsedTransaction? ReadTransaction(int n, string label)
        {
            // #TRANS kontonr {objektlista} belopp transdat transtext kvantitet sign
            if (!RequireVoucher(n, label)) return null;
            if (!TryAccount(_line[1], n, out var account)) return null;
            if (_line.Count < 4 || !_line.IsList(2))
            {
                report.Error("sie_object_list", n, $"{label} objektlista", _line.Has(2) ? _line.Raw(2) : null,
                    "Transaktionen saknar objektlista { } före beloppet.", "The transaction lacks its object list { } before the amount.");
                return null;
            }
            if (_line.ItemCount(2) % 2 != 0)
            {
                report.Error("sie_object_list", n, $"{label} objektlista", _line.Raw(2),
                    "Objektlistan ska bestå av par: dimension och objekt.", "The object list must consist of pairs: dimension and object.");
                return null;
            }
            if (!TryAmount(_line[3], n, $"{label} belopp", out var amount)) return null;
            var date = _voucher!.Date;
            if (!_line[4].IsEmpty && !CompactDate.TryParseCompact(_line[4], out date))
            {
                var (sv, en) = CompactDate.NotInCalendar(_line[4]);
                report.Error("sie_date", n, $"{label} transdat", _line.String(4), "Transaktionsdatum ska vara ÅÅÅÅMMDD." + sv, "The transaction date must be YYYYMMDD." + en);
                return null;
            }
            return new ParsedTransaction(account, CostObjects(), amount, date, Text(_line[5]), n);
        }

        private void AddRow(ParsedTransaction row)
        {
            if (_rowCount == _rows.Length) Array.Resize(ref _rows, _rows.Length * 2);
            _rows[_rowCount++] = row;
        }

        /// <summary>The object list as "dim:code|dim:code", shared between rows that have the same list.</summary>
        private string CostObjects()
        {
            var pairs = _line.ItemCount(2) / 2;
            if (pairs == 0) return "";
            var buffer = _objectsBuffer.Clear();
            for (var p = 0; p < pairs; p++)
            {
                if (p > 0) buffer.Append('|');
                buffer.Append(_line.ListItem(2, 2 * p)).Append(':').Append(_line.ListItem(2, 2 * p + 1));
            }
            Span<char> chars = buffer.Length <= 256 ? stackalloc char[buffer.Length] : new char[buffer.Length];
            buffer.CopyTo(0, chars, buffer.Length);
            return _strings.Get(chars);
        }

        /// <summary>A free text, with anything shaped like an identity number masked (and counted).</summary>
        private string Text(ReadOnlySpan<char> text)
        {
            _lastMasked = 0;
            if (!FreeTextMasker.MayContainNumber(text)) return _strings.Get(text);
            var (masked, count) = FreeTextMasker.Mask(text.ToString());
            MaskedTexts += count;
            _lastMasked = count;
            return masked;
        }

        /// <summary>What the last call of <see cref="Text"/> masked: an #RTRANS copy that is skipped takes its count back.</summary>
        private int _lastMasked;

        private bool TryAccount(ReadOnlySpan<char> account, int n, out string value)
        {
            if (account.Length is >= 1 and <= 10 && !account.ContainsAnyExceptInRange('0', '9'))
            {
                value = _strings.Get(account);
                return true;
            }
            value = "";
            report.Error("account_invalid", n, "konto", account.ToString(), "Kontonumret ska bestå av siffror.", "The account number must consist of digits.");
            return false;
        }

        private bool TryAmount(ReadOnlySpan<char> text, int n, string column, out decimal amount)
        {
            if (MoneyParser.TryParse(text, allowDecimalComma: false, out amount)) return true;
            report.Error("amount_invalid", n, column, text.ToString(),
                "Beloppet ska vara ett tal med högst 15 siffror före och högst två decimaler efter decimaltecknet, och punkt som decimaltecken, t.ex. -1234.50.",
                "The amount must be a number with at most 15 digits before and two decimals after the decimal separator, and a point as decimal separator, e.g. -1234.50.");
            return false;
        }
    }
}
