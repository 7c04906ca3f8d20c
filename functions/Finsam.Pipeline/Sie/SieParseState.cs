using System.Text;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Sie;

/// <summary>Reads the lines of a SIE file, or of a part of it that starts where a voucher starts (<see cref="SieParser"/>).</summary>
internal sealed class SieParseState(Period period, ValidationReport report, TextLimits limits, Encoding encoding, bool isContinuation, int expectedRows)
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
    private readonly SieAddedRows _added = new(report);
    private readonly SieFileChecksum _checksum = new(report, encoding);
    private string? _program, _sieType, _orgNumber, _companyName;
    private int? _orgNumberLine;
    private DateOnly? _yearStart, _yearEnd;
    private int _fiscalYearLine;
    public List<(int Line, string Account, decimal Amount)> OpeningBalances { get; } = [];
    /// <summary>The sum of #RES -1, when the file has any.</summary>
    public decimal? PreviousYearResult { get; private set; }
    private readonly HashSet<string> _warnedUnknown = [];

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
        if (label is not ("#TRANS" or "#RTRANS")) _added.OtherRecord();
        if (label != "#KSUMMA") _checksum.Record(_line, n, label);

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
            case "#UB": TryAmount(_line[3], n, label, "saldo", out _); break; // årsnr konto saldo
            case "#RES": ReadResult(n); break;
            case "#VER": StartVoucher(n); break;
            case "#TRANS":
                if (ReadTransaction(n, label) is not { } row) break;
                if (_added.IsCopy(row))
                {
                    MaskedTexts -= _lastMasked;
                    break;
                }
                AddRow(row);
                break;
            case "#RTRANS":
                if (ReadTransaction(n, label) is not { } added) break;
                AddRow(added);
                _added.Added(added);
                break;
            case "#BTRANS":
                // SIE 4B, #BTRANS: a removed row, kept in the file for the audit trail; it is not part of the voucher.
                if (RequireVoucher(n, label)) _voucher!.RemovedRows++;
                break;
            case "#KSUMMA": _checksum.Read(_line, n); break;
            default:
                if (!SieParser.KnownRecords.Contains(label) && _warnedUnknown.Add(label))
                    report.Warning("sie_unknown_record", n, null, label,
                        $"Okänd post {label} ignoreras.", $"Unknown record {label} is ignored.");
                break;
        }
    }

    public void End()
    {
        _added.EndVoucher();
        ParsedVoucher.AssignTransactions(Vouchers, _voucherStarts, _rows, _rowCount);
        if (report.ReadingStopped) return; // what was not read is not checked
        if (_inBlock)
            report.Error("sie_block_open", _blockLine, null, "{", "Verifikationens { stängs aldrig med }.", "The voucher's { is never closed with }.");
        _checksum.End();
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
        _added.EndVoucher();
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
        if (!TryAmount(_line[3], n, "#IB", "saldo", out var amount) || !TryAccount(_line[2], n, out var account)) return;
        if (_line[1] is "0") OpeningBalances.Add((n, account, amount));
    }

    private void ReadResult(int n)
    {
        // #RES årsnr konto saldo: the result accounts' balances; year -1 is the previous year.
        if (TryAmount(_line[3], n, "#RES", "saldo", out var amount) && _line[1] is "-1") PreviousYearResult = (PreviousYearResult ?? 0m) + amount;
    }

    private void StartVoucher(int n)
    {
        // #VER serie vernr verdatum vertext regdatum sign
        _added.EndVoucher();
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
        if (!TryAmount(_line[3], n, label, "belopp", out var amount)) return null;
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

    /// <param name="label">The record's label and <paramref name="field"/> the amount's name in it: the column of an error, made only for one.</param>
    private bool TryAmount(ReadOnlySpan<char> text, int n, string label, string field, out decimal amount)
    {
        if (MoneyParser.TryParse(text, allowDecimalComma: false, out amount)) return true;
        report.Error("amount_invalid", n, $"{label} {field}", text.ToString(),
            "Beloppet ska vara ett tal med högst 15 siffror före och högst två decimaler efter decimaltecknet, och punkt som decimaltecken, t.ex. -1234.50.",
            "The amount must be a number with at most 15 digits before and two decimals after the decimal separator, and a point as decimal separator, e.g. -1234.50.");
        return false;
    }
}
