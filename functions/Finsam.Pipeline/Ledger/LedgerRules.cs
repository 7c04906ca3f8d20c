using System.Globalization;
using Finsam.Pipeline.Contract;

namespace Finsam.Pipeline.Ledger;

/// <summary>
/// Rules every ledger must meet, whatever its format: each voucher balances to 0.00 and is dated in the landing month;
/// opening balances appear once per account, and in a CSV ledger are dated the first day of the fiscal year (a SIE file
/// dates them by its #RAR 0, which must be the calendar year). A voucher without rows and opening balances that do not
/// balance are warnings: an accounting system writes both, and the federation cannot change that.
/// </summary>
public static class LedgerRules
{
    public static void Check(ParsedLedger ledger, Period period, ValidationReport report)
    {
        foreach (var voucher in ledger.Vouchers)
        {
            if (voucher.Transactions.Count == 0)
            {
                // Nothing to book: every row corrected away (#BTRANS), or a voucher number the system wrote without rows.
                // A warning, so the month's ledger is not refused for what the federation cannot change.
                if (voucher.RemovedRows > 0)
                    report.Warning("voucher_empty", voucher.Line, "verifikation", voucher.Id,
                        $"Verifikation {voucher.Id} har inga rader kvar: alla {voucher.RemovedRows} är borttagna (#BTRANS). Den påverkar inte huvudboken.",
                        $"Voucher {voucher.Id} has no rows left: all {voucher.RemovedRows} were removed (#BTRANS). It does not change the ledger.");
                else
                    report.Warning("voucher_empty", voucher.Line, "verifikation", voucher.Id,
                        $"Verifikation {voucher.Id} har inga transaktioner. Den påverkar inte huvudboken.",
                        $"Voucher {voucher.Id} has no transactions. It does not change the ledger.");
                continue;
            }
            var sum = 0m;
            foreach (var row in voucher.Transactions) sum += row.Amount;
            if (sum != 0m)
                report.Error("voucher_unbalanced", voucher.Line, "belopp", Amount(sum),
                    $"Verifikation {voucher.Id} balanserar inte: summan av beloppen är {sum:0.00}, den ska vara 0,00.",
                    $"Voucher {voucher.Id} does not balance: its amounts add up to {sum:0.00}, they must add up to 0.00.");
            if (!period.Contains(voucher.Date))
                report.Error("voucher_outside_period", voucher.Line, "datum", voucher.Date.ToString("yyyy-MM-dd"),
                    $"Verifikation {voucher.Id} är daterad {voucher.Date:yyyy-MM-dd}, utanför leveransmånaden {period}.",
                    $"Voucher {voucher.Id} is dated {voucher.Date:yyyy-MM-dd}, outside the landing month {period}.");
        }

        // A CSV row dates its balance itself; a SIE file's #IB are dated by #RAR 0, which the SIE reader checks.
        var yearStart = new DateOnly(period.Year, 1, 1);
        if (ledger.Format == "csv")
            foreach (var balance in ledger.OpeningBalances.Where(b => b.YearStart != yearStart))
                report.Error("opening_balance_date", balance.Line, "datum", balance.YearStart.ToString("yyyy-MM-dd"),
                    $"Ingående balans ska dateras räkenskapsårets första dag, {yearStart:yyyy-MM-dd}.",
                    $"Opening balances must be dated the first day of the fiscal year, {yearStart:yyyy-MM-dd}.");
        foreach (var duplicate in ledger.OpeningBalances.GroupBy(b => b.Account).Where(g => g.Count() > 1))
            report.Error("opening_balance_duplicate", duplicate.ElementAt(1).Line, "konto", duplicate.Key,
                $"Konto {duplicate.Key} har mer än en ingående balans.",
                $"Account {duplicate.Key} has more than one opening balance.");
        CheckOpeningBalanceSum(ledger, report);
    }

    /// <summary>
    /// Opening balances sum to 0.00 once the previous year is closed. Until last year's result is booked to equity, months
    /// into the new year, they sum to that result as a profit (a profit leaves the assets it bought without the equity beside
    /// them; a loss the other way round): a warning naming the difference, which the models count as equity (the unbooked
    /// result) until an export books it. A SIE file that states last year's result (#RES -1) and a difference that is not it
    /// contradicts itself: an error, as the difference would be booked as equity without being the result.
    /// </summary>
    private static void CheckOpeningBalanceSum(ParsedLedger ledger, ValidationReport report)
    {
        var difference = ledger.OpeningBalances.Sum(b => b.Amount);
        if (difference == 0m) return;
        var line = ledger.OpeningBalances[0].Line;
        // #RES holds result accounts as booked: income negative, so a profit is a negative sum.
        if (ledger.PreviousYearResult is { } booked)
        {
            var profit = -booked;
            if (profit == difference)
                report.Warning("opening_balance_unbalanced", line, "belopp", Amount(difference),
                    $"Ingående balanser summerar till {difference:0.00}, inte 0,00. Det är föregående års resultat enligt #RES -1 ({Amount(profit)} kr), som ännu inte är " +
                    "bokfört mot eget kapital. Skillnaden räknas som eget kapital (ej bokfört resultat) tills en export bokför den.",
                    $"Opening balances add up to {difference:0.00}, not 0.00. It is the previous year's result given by #RES -1 ({Amount(profit)} kr), not yet booked " +
                    "to equity. The difference counts as equity (unbooked result) until an export books it.");
            else
                report.Error("opening_balance_unbalanced", line, "belopp", Amount(difference),
                    $"Ingående balanser summerar till {difference:0.00}, inte 0,00, och skillnaden är inte föregående års resultat enligt #RES -1 ({Amount(profit)} kr). " +
                    "Kontrollera årets ingående balans i ekonomisystemet.",
                    $"Opening balances add up to {difference:0.00}, not 0.00, and the difference is not the previous year's result given by #RES -1 ({Amount(profit)} kr). " +
                    "Check the year's opening balance in the accounting system.");
            return;
        }
        report.Warning("opening_balance_unbalanced", line, "belopp", Amount(difference),
            $"Ingående balanser summerar till {difference:0.00}, inte 0,00. Det är normalt föregående års resultat, som ännu inte är bokfört mot eget kapital; " +
            "är det inte det, kontrollera årets ingående balans i ekonomisystemet. Skillnaden räknas som eget kapital (ej bokfört resultat) tills en export bokför den.",
            $"Opening balances add up to {difference:0.00}, not 0.00. That is normally the previous year's result, not yet booked to equity; if it is not, " +
            "check the year's opening balance in the accounting system. The difference counts as equity (unbooked result) until an export books it.");
    }

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
