using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Ingestion;

/// <summary>Turns checked input into curated rows; identity numbers become pseudonyms here.</summary>
public static class CuratedRowMapper
{
    public static List<LedgerRow> LedgerRows(ParsedLedger ledger, string sha256) =>
        ledger.Vouchers.SelectMany(v => v.Transactions.Select(t => new LedgerRow
        {
            VoucherSeries = v.Series,
            VoucherNumber = v.Number,
            VoucherDate = v.Date,
            VoucherText = v.Text,
            TransactionDate = t.Date,
            Account = t.Account,
            Amount = t.Amount,
            CostObjects = t.CostObjects,
            Text = t.Text,
            SourceFormat = ledger.Format,
            SourceSha256 = sha256,
            SourceLine = t.Line,
        })).ToList();

    public static List<OpeningBalanceRow> OpeningBalanceRows(ParsedLedger ledger, string sha256) =>
        ledger.OpeningBalances.Select(b => new OpeningBalanceRow
        {
            Year = b.YearStart.Year,
            Account = b.Account,
            Amount = b.Amount,
            SourceSha256 = sha256,
            SourceLine = b.Line,
        }).ToList();

    public static List<RegistrationRow> RegistrationRows(ParsedParticipants participants, Pseudonymizer pseudonymizer, string sha256) =>
        participants.Registrations.Select(r => new RegistrationRow
        {
            RegistreringId = r.RegistreringId,
            PersonPseudonym = r.Person is { } person ? pseudonymizer.Pseudonymize(person) : null,
            Anonym = r.Anonym,
            Kon = r.Kon,
            Fodelsear = r.Fodelsear,
            Kommun = r.Kommun,
            InsatsId = r.InsatsId,
            InsatsNamn = r.InsatsNamn,
            InsatsTyp = r.InsatsTyp,
            Startdatum = r.Startdatum,
            Slutdatum = r.Slutdatum,
            Utbildning = r.Utbildning,
            ForsorjningFore = r.ForsorjningFore,
            ForsorjningEfter = r.ForsorjningEfter,
            Avslutsorsak = r.Avslutsorsak,
            SourceSha256 = sha256,
            SourceLine = r.Line,
        }).ToList();
}
