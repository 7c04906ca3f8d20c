using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;

namespace Finsam.Pipeline.Ledger;

/// <summary>
/// Rules every ledger must meet, whatever its format: each voucher balances to 0.00 and is dated
/// in the landing month; opening balances are dated the first day of the fiscal year, appear once
/// per account and balance to 0.00.
/// </summary>
public static class LedgerRules
{
    public static void Check(ParsedLedger ledger, Period period, ValidationReport report)
    {
        foreach (var voucher in ledger.Vouchers)
        {
            if (voucher.Transactions.Count == 0)
                report.Error("voucher_empty", voucher.Line, "verifikation", voucher.Id,
                    $"Verifikation {voucher.Id} har inga transaktioner.",
                    $"Voucher {voucher.Id} has no transactions.");
            var sum = voucher.Transactions.Sum(t => t.Amount);
            if (sum != 0m)
                report.Error("voucher_unbalanced", voucher.Line, "belopp", sum.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                    $"Verifikation {voucher.Id} balanserar inte: summan av beloppen är {sum:0.00}, den ska vara 0,00.",
                    $"Voucher {voucher.Id} does not balance: its amounts add up to {sum:0.00}, they must add up to 0.00.");
            if (!period.Contains(voucher.Date))
                report.Error("voucher_outside_period", voucher.Line, "datum", voucher.Date.ToString("yyyy-MM-dd"),
                    $"Verifikation {voucher.Id} är daterad {voucher.Date:yyyy-MM-dd}, utanför leveransmånaden {period}.",
                    $"Voucher {voucher.Id} is dated {voucher.Date:yyyy-MM-dd}, outside the landing month {period}.");
        }

        var yearStart = new DateOnly(period.Year, 1, 1);
        foreach (var balance in ledger.OpeningBalances.Where(b => b.YearStart != yearStart))
            report.Error("opening_balance_date", balance.Line, "datum", balance.YearStart.ToString("yyyy-MM-dd"),
                $"Ingående balans ska dateras räkenskapsårets första dag, {yearStart:yyyy-MM-dd}.",
                $"Opening balances must be dated the first day of the fiscal year, {yearStart:yyyy-MM-dd}.");
        foreach (var duplicate in ledger.OpeningBalances.GroupBy(b => b.Account).Where(g => g.Count() > 1))
            report.Error("opening_balance_duplicate", duplicate.ElementAt(1).Line, "konto", duplicate.Key,
                $"Konto {duplicate.Key} har mer än en ingående balans.",
                $"Account {duplicate.Key} has more than one opening balance.");
        var openingSum = ledger.OpeningBalances.Sum(b => b.Amount);
        if (openingSum != 0m)
            report.Error("opening_balance_unbalanced", ledger.OpeningBalances[0].Line, "belopp", openingSum.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                $"Ingående balanser summerar till {openingSum:0.00}, de ska summera till 0,00.",
                $"Opening balances add up to {openingSum:0.00}, they must add up to 0.00.");
    }
}
