using System.Globalization;
using System.Text;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Sie;

/// <summary>What a SIE file says about itself (#FLAGGA, #PROGRAM, #ORGNR …).</summary>
public sealed record SieHeader(string? Program, string? SieType, string? OrgNumber, string? CompanyName, DateOnly? FiscalYearStart, DateOnly? FiscalYearEnd);

/// <summary>
/// Streaming reader of SIE 4 (4E and 4I) ledger exports, written against the SIE 4 specification.
/// Text is decoded as codepage 437 (#FORMAT PC8), the only character set SIE 4 allows.
/// Keeps vouchers (#VER with #TRANS and #RTRANS; #BTRANS rows are removed rows and are left out)
/// and the current year's opening balances (#IB 0). Other known records are read and checked for
/// form; unknown records give a warning and are ignored.
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

    public static Encoding Codepage437
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(437);
        }
    }

    public static (ParsedLedger Ledger, SieHeader Header) Parse(Stream content, Period period, ValidationReport report)
    {
        var state = new ParseState(period, report);
        using var reader = new StreamReader(content, Codepage437, detectEncodingFromByteOrderMarks: false);
        var tokens = new List<SieToken>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            state.Line(line, lineNumber, tokens);
        }
        state.End(lineNumber);
        return (state.Ledger, state.Header());
    }

    private sealed class ParseState(Period period, ValidationReport report)
    {
        public ParsedLedger Ledger { get; } = new() { Format = "sie4" };
        private ParsedVoucher? _voucher;
        private bool _inBlock;
        private int _blockLine;
        private List<SieToken>? _pendingRtrans;
        private string? _program, _sieType, _orgNumber, _companyName;
        private DateOnly? _yearStart, _yearEnd;
        private readonly List<(int Line, string Account, decimal Amount)> _openingBalances = [];
        private readonly HashSet<string> _warnedUnknown = [];

        public SieHeader Header() => new(_program, _sieType, _orgNumber, _companyName, _yearStart, _yearEnd);

        public void Line(string line, int n, List<SieToken> tokens)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0) return;
            if (trimmed == "{") { OpenBlock(n); return; }
            if (trimmed == "}") { CloseBlock(n); return; }

            var problem = SieTokenizer.Tokenize(line, tokens);
            if (problem is not null)
            {
                report.Error("sie_syntax", n, null, Mask(trimmed), $"Raden kan inte läsas: {problem}.", $"The line cannot be read: {problem}.");
                return;
            }
            var label = tokens[0].Text;
            if (!label.StartsWith('#'))
            {
                report.Error("sie_not_a_record", n, null, Mask(Truncate(trimmed)),
                    "Raden är ingen SIE-post (en post börjar med #).", "The line is not a SIE record (a record starts with #).");
                return;
            }
            label = label.ToUpperInvariant();
            if (label != "#TRANS") _pendingRtrans = null;

            if (_inBlock && label is not ("#TRANS" or "#RTRANS" or "#BTRANS"))
            {
                report.Error("sie_record_in_voucher", n, null, label,
                    $"Posten {label} får inte stå inom en verifikations {{ }}.", $"The record {label} may not appear inside a voucher's {{ }}.");
                return;
            }

            switch (label)
            {
                case "#FORMAT":
                    if (Field(tokens, 1)?.ToUpperInvariant() != "PC8")
                        report.Error("sie_format", n, "#FORMAT", Field(tokens, 1), "Endast #FORMAT PC8 (teckentabell 437) stöds i SIE 4.", "Only #FORMAT PC8 (codepage 437) is allowed in SIE 4.");
                    break;
                case "#SIETYP":
                    _sieType = Field(tokens, 1);
                    if (_sieType != "4")
                        report.Error("sie_type", n, "#SIETYP", _sieType, "Filen måste vara SIE typ 4 (verifikationer och transaktioner).", "The file must be SIE type 4 (vouchers and transactions).");
                    break;
                case "#PROGRAM": _program = string.Join(' ', tokens.Skip(1).Select(t => t.Text)); break;
                case "#FNAMN": _companyName = Field(tokens, 1); break;
                case "#ORGNR": _orgNumber = Field(tokens, 1); break;
                case "#RAR": ReadFiscalYear(tokens, n); break;
                case "#IB": ReadOpeningBalance(tokens, n); break;
                case "#UB" or "#RES": RequireAmount(tokens, n, label, 3); break; // årsnr konto saldo
                case "#VER": StartVoucher(tokens, n); break;
                case "#TRANS":
                    if (_pendingRtrans is not null && SameFields(_pendingRtrans, tokens))
                    {
                        // SIE 4: each #RTRANS is followed by an identical #TRANS for older readers; it is the same row.
                        _pendingRtrans = null;
                        break;
                    }
                    AddTransaction(tokens, n, label);
                    break;
                case "#RTRANS":
                    AddTransaction(tokens, n, label);
                    _pendingRtrans = [.. tokens];
                    break;
                case "#BTRANS":
                    // A removed row, kept in the file for the audit trail; it is not part of the voucher.
                    RequireVoucher(n, label);
                    break;
                default:
                    if (!KnownRecords.Contains(label) && _warnedUnknown.Add(label))
                        report.Warning("sie_unknown_record", n, null, label,
                            $"Okänd post {label} ignoreras.", $"Unknown record {label} is ignored.");
                    break;
            }
        }

        public void End(int lastLine)
        {
            if (_inBlock)
                report.Error("sie_block_open", _blockLine, null, "{", "Verifikationens { stängs aldrig med }.", "The voucher's { is never closed with }.");
            var yearStart = _yearStart ?? new DateOnly(period.Year, 1, 1);
            foreach (var (line, account, amount) in _openingBalances)
                Ledger.OpeningBalances.Add(new ParsedOpeningBalance(yearStart, account, amount, line));
            if (_sieType is null)
                report.Error("sie_type", 1, "#SIETYP", null, "Posten #SIETYP saknas; filen måste vara SIE typ 4.", "The record #SIETYP is missing; the file must be SIE type 4.");
            if (_yearStart is { } start && _yearEnd is { } end && !(period.FirstDay >= start && period.LastDay <= end))
                report.Error("sie_fiscal_year", 1, "#RAR", $"{start:yyyyMMdd} {end:yyyyMMdd}",
                    $"Leveransmånaden {period} ligger utanför räkenskapsåret enligt #RAR 0.", $"The landing month {period} lies outside the fiscal year given by #RAR 0.");
            _ = lastLine;
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
            _pendingRtrans = null;
        }

        private void ReadFiscalYear(List<SieToken> tokens, int n)
        {
            if (Field(tokens, 1) != "0") return;
            if (TryDate(Field(tokens, 2), out var start) && TryDate(Field(tokens, 3), out var end) && start <= end)
            {
                _yearStart = start;
                _yearEnd = end;
            }
            else
            {
                report.Error("sie_date", n, "#RAR", string.Join(' ', tokens.Skip(2).Select(t => t.Text)),
                    "#RAR ska ha start- och slutdatum som ÅÅÅÅMMDD.", "#RAR must have a start and end date as YYYYMMDD.");
            }
        }

        private void ReadOpeningBalance(List<SieToken> tokens, int n)
        {
            var yearIndex = Field(tokens, 1);
            var account = Field(tokens, 2);
            if (!TryAmount(Field(tokens, 3), n, "#IB saldo", out var amount) || !CheckAccount(account, n)) return;
            if (yearIndex == "0") _openingBalances.Add((n, account!, amount));
        }

        private void RequireAmount(List<SieToken> tokens, int n, string label, int index) =>
            TryAmount(Field(tokens, index), n, $"{label} saldo", out _);

        private void StartVoucher(List<SieToken> tokens, int n)
        {
            // #VER serie vernr verdatum vertext regdatum sign
            var series = Field(tokens, 1) ?? "";
            var number = Field(tokens, 2) ?? "";
            if (!TryDate(Field(tokens, 3), out var date))
            {
                report.Error("sie_date", n, "#VER verdatum", Field(tokens, 3), "Verifikationsdatum ska vara ÅÅÅÅMMDD.", "The voucher date must be YYYYMMDD.");
                date = period.FirstDay;
            }
            var (text, masked) = FreeTextMasker.Mask(Field(tokens, 4));
            Ledger.MaskedTexts += masked;
            _voucher = new ParsedVoucher(series, number, date, text, n);
            Ledger.Vouchers.Add(_voucher);
        }

        private bool RequireVoucher(int n, string label)
        {
            if (_inBlock && _voucher is not null) return true;
            report.Error("sie_transaction_outside_voucher", n, null, label,
                $"{label} står utanför en verifikations {{ }}.", $"{label} appears outside a voucher's {{ }}.");
            return false;
        }

        private void AddTransaction(List<SieToken> tokens, int n, string label)
        {
            // #TRANS kontonr {objektlista} belopp transdat transtext kvantitet sign
            if (!RequireVoucher(n, label)) return;
            var account = Field(tokens, 1);
            if (!CheckAccount(account, n)) return;
            if (tokens.Count < 4 || !tokens[2].IsList)
            {
                report.Error("sie_object_list", n, $"{label} objektlista", tokens.Count > 2 ? tokens[2].Text : null,
                    "Transaktionen saknar objektlista { } före beloppet.", "The transaction lacks its object list { } before the amount.");
                return;
            }
            var objects = tokens[2].List!;
            if (objects.Count % 2 != 0)
            {
                report.Error("sie_object_list", n, $"{label} objektlista", tokens[2].Text,
                    "Objektlistan ska bestå av par: dimension och objekt.", "The object list must consist of pairs: dimension and object.");
                return;
            }
            if (!TryAmount(tokens[3].Text, n, $"{label} belopp", out var amount)) return;
            var date = _voucher!.Date;
            var transDate = Field(tokens, 4);
            if (!string.IsNullOrEmpty(transDate) && !TryDate(transDate, out date))
            {
                report.Error("sie_date", n, $"{label} transdat", transDate, "Transaktionsdatum ska vara ÅÅÅÅMMDD.", "The transaction date must be YYYYMMDD.");
                return;
            }
            var costObjects = string.Join('|', Enumerable.Range(0, objects.Count / 2).Select(i => $"{objects[2 * i]}:{objects[2 * i + 1]}"));
            var (text, masked) = FreeTextMasker.Mask(Field(tokens, 5));
            Ledger.MaskedTexts += masked;
            _voucher.Transactions.Add(new ParsedTransaction(account!, costObjects, amount, date, text, n));
        }

        private bool CheckAccount(string? account, int n)
        {
            if (account is { Length: >= 1 and <= 10 } && account.All(char.IsAsciiDigit)) return true;
            report.Error("account_invalid", n, "konto", account, "Kontonumret ska bestå av siffror.", "The account number must consist of digits.");
            return false;
        }

        private bool TryAmount(string? text, int n, string column, out decimal amount)
        {
            if (MoneyParser.TryParse(text, allowDecimalComma: false, out amount)) return true;
            report.Error("amount_invalid", n, column, text,
                "Beloppet ska vara ett tal med högst två decimaler och punkt som decimaltecken, t.ex. -1234.50.",
                "The amount must be a number with at most two decimals and a point as decimal separator, e.g. -1234.50.");
            return false;
        }

        private static bool TryDate(string? text, out DateOnly date) =>
            DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

        private static string? Field(List<SieToken> tokens, int index) => index < tokens.Count ? tokens[index].Text : null;

        private static bool SameFields(List<SieToken> a, List<SieToken> b) =>
            a.Count == b.Count && a.Skip(1).Zip(b.Skip(1)).All(p => p.First.Text == p.Second.Text);

        private static string Truncate(string s) => s.Length > 80 ? s[..80] + "…" : s;

        private static string Mask(string s) => FreeTextMasker.Mask(s).Text;
    }
}
