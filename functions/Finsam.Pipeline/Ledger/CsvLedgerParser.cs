using System.Globalization;
using System.Text.RegularExpressions;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Ledger;

/// <summary>
/// Reads a CSV ledger: header verifikation;datum;konto;belopp;objekt;text, ';' or ',' separated,
/// UTF-8 (with or without BOM) or Windows-1252, decimal comma or point, debit positive.
/// Rows whose verifikation is "IB" are opening balances.
/// </summary>
public static partial class CsvLedgerParser
{
    public static readonly string[] Header = ["verifikation", "datum", "konto", "belopp", "objekt", "text"];
    public const string OpeningBalanceVoucher = "IB";

    public static ParsedLedger Parse(DelimitedSource text, ValidationReport report, TextLimits? limits = null)
    {
        limits ??= TextLimits.Default;
        var ledger = new ParsedLedger { Format = "csv" };
        var vouchers = new VoucherRows();
        var first = true;
        foreach (var record in DelimitedText.Read(text, DelimitedText.DetectDelimiter(text), limits.MaxLineLength, limits.MaxFieldLength,
                     over => limits.Report(report, over, Header)))
        {
            if (first) { first = false; continue; } // the header, checked by the file-kind detection
            ReadRow(record, ledger, vouchers, report);
            if (!report.IsFull) continue;
            report.StopReading();
            break;
        }
        // A voucher's rows may be anywhere in a CSV file: they are put one after the other at the end.
        var rows = new List<ParsedTransaction>();
        var starts = new List<int>(ledger.Vouchers.Count);
        foreach (var voucherRows in vouchers.RowsInOrder)
        {
            starts.Add(rows.Count);
            rows.AddRange(voucherRows);
        }
        ParsedVoucher.AssignTransactions(ledger.Vouchers, starts, [.. rows], rows.Count);
        return ledger;
    }

    /// <summary>The vouchers read so far by their id as written, with their rows, and the rows in the order the vouchers came.</summary>
    private sealed class VoucherRows : Dictionary<string, (ParsedVoucher Voucher, List<ParsedTransaction> Rows)>
    {
        public VoucherRows() : base(StringComparer.Ordinal) { }
        public List<List<ParsedTransaction>> RowsInOrder { get; } = [];
    }

    private static void ReadRow(DelimitedRecord record, ParsedLedger ledger, VoucherRows vouchers, ValidationReport report)
    {
        var line = record.Line;
        var f = record.Fields;
        if (f.Length != Header.Length)
        {
            report.Error("column_count", line, null, f.Length.ToString(CultureInfo.InvariantCulture),
                $"Raden har {f.Length} fält, den ska ha {Header.Length}.", $"The row has {f.Length} fields; it must have {Header.Length}.");
            return;
        }
        var (voucherId, dateText, account, amountText, objectsText) = (f[0].Trim(), f[1].Trim(), f[2].Trim(), f[3].Trim(), f[4].Trim());
        var ok = true;
        if (voucherId.Length == 0)
        {
            report.Error("required", line, "verifikation", "", "Verifikation saknas.", "The voucher id is missing.");
            ok = false;
        }
        if (!CompactDate.TryParse(dateText, out var date))
        {
            var (sv, en) = CompactDate.NotInCalendar(dateText);
            report.Error("date_invalid", line, "datum", dateText, "Datum ska skrivas ÅÅÅÅ-MM-DD." + sv, "The date must be written YYYY-MM-DD." + en);
            ok = false;
        }
        if (!(account.Length is >= 1 and <= 10 && account.All(char.IsAsciiDigit)))
        {
            report.Error("account_invalid", line, "konto", account, "Kontonumret ska bestå av siffror.", "The account number must consist of digits.");
            ok = false;
        }
        if (!MoneyParser.TryParse(amountText, allowDecimalComma: true, out var amount))
        {
            report.Error("amount_invalid", line, "belopp", amountText,
                "Beloppet ska vara ett tal med högst 15 siffror före och högst två decimaler efter decimaltecknet, decimalkomma eller decimalpunkt och inga tusentalsavgränsare, t.ex. -1234,50.",
                "The amount must be a number with at most 15 digits before and two decimals after the decimal separator, a decimal comma or point and no thousands separators, e.g. -1234,50.");
            ok = false;
        }
        if (objectsText.Length > 0 && !ObjectList().IsMatch(objectsText))
        {
            report.Error("objects_invalid", line, "objekt", objectsText,
                "Objekt ska skrivas dimension:kod, flera åtskilda med |, t.ex. 1:100|6:P12.",
                "Cost objects must be written dimension:code, several separated by |, e.g. 1:100|6:P12.");
            ok = false;
        }
        var (text, masked) = FreeTextMasker.Mask(f[5]);
        ledger.MaskedTexts += masked;
        if (!ok) return;

        if (string.Equals(voucherId, OpeningBalanceVoucher, StringComparison.OrdinalIgnoreCase))
        {
            ledger.OpeningBalances.Add(new ParsedOpeningBalance(date, account, amount, line));
            return;
        }
        if (!vouchers.TryGetValue(voucherId, out var entry))
        {
            var (series, number) = SplitVoucherId(voucherId);
            entry = (new ParsedVoucher(series, number, date, "", line), []);
            vouchers.Add(voucherId, entry);
            vouchers.RowsInOrder.Add(entry.Rows);
            ledger.Vouchers.Add(entry.Voucher);
        }
        else if (entry.Voucher.Date != date)
        {
            report.Error("voucher_dates_differ", line, "datum", dateText,
                $"Verifikation {voucherId} har rader med olika datum ({entry.Voucher.Date:yyyy-MM-dd} på rad {entry.Voucher.Line}).",
                $"Voucher {voucherId} has rows with different dates ({entry.Voucher.Date:yyyy-MM-dd} on line {entry.Voucher.Line}).");
            return;
        }
        entry.Rows.Add(new ParsedTransaction(account, objectsText, amount, date, text, line));
    }

    /// <summary>"A123", "A-123" and "A 123" become series A, number 123; "123" has no series.</summary>
    public static (string Series, string Number) SplitVoucherId(string id)
    {
        var m = VoucherId().Match(id);
        return m.Success ? (m.Groups["series"].Value, m.Groups["number"].Value) : ("", id);
    }

    [GeneratedRegex(@"^(?<series>[A-Za-zÅÄÖåäö]*)[ -]?(?<number>\d+)$")]
    private static partial Regex VoucherId();

    [GeneratedRegex(@"^[^:|]+:[^:|]+(\|[^:|]+:[^:|]+)*$")]
    private static partial Regex ObjectList();
}
