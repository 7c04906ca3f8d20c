using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Ingestion;

/// <summary>Turns checked input into curated rows; identity numbers become pseudonyms here.</summary>
public static class CuratedRowMapper
{
    public static List<LedgerEntry> LedgerRows(ParsedLedger ledger, string sha256)
    {
        var rows = new List<LedgerEntry>(ledger.TransactionCount);
        foreach (var voucher in ledger.Vouchers)
            foreach (var transaction in voucher.Transactions)
                rows.Add(new LedgerEntry(voucher, transaction, ledger.Format, sha256));
        return rows;
    }

    public static List<OpeningBalanceEntry> OpeningBalanceRows(ParsedLedger ledger, string sha256) =>
        ledger.OpeningBalances.Select(b => new OpeningBalanceEntry(b, sha256)).ToList();

    public static List<RegistrationEntry> RegistrationRows(ParsedParticipants participants, Pseudonymizer pseudonymizer, string sha256) =>
        participants.Registrations
            .Select(r => new RegistrationEntry(r, r.Person is { } person ? pseudonymizer.Pseudonymize(person) : null, sha256))
            .ToList();
}
