using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Volumes;

namespace Finsam.Pipeline.Curated;

// The curated Parquet data sets, column by column, as docs/data-contract.md describes them.
// The partition path (federation=…/period=…) carries federation and landing month; DuckDB and
// Spark add them as columns when reading with hive partitioning. Every row points back to its
// input file (source_sha256, source_line).

/// <summary>
/// A transaction with its voucher and the file it came from. The transaction is read where it lies, a row of the array its
/// voucher's rows are a slice of: each column of the ledger's Parquet reads every row, and an entry that points at its
/// transaction is half the size of one that holds a copy. The array and the row stay inside: an entry gives its
/// transaction, read-only.
/// </summary>
public readonly struct LedgerEntry(ParsedVoucher voucher, ParsedTransaction[] rows, int row, string format, string sha256)
{
    private readonly ParsedTransaction[] _rows = rows;
    private readonly int _row = row;

    public ParsedVoucher Voucher { get; } = voucher;
    public string Format { get; } = format;
    public string Sha256 { get; } = sha256;
    public ref readonly ParsedTransaction Transaction => ref _rows[_row];
}

/// <summary>An opening balance and the file it came from.</summary>
public readonly record struct OpeningBalanceEntry(ParsedOpeningBalance Balance, string Sha256);

/// <summary>A registration with its pseudonym (null when anonymous) and the file it came from.</summary>
public readonly record struct RegistrationEntry(ParsedRegistration Registration, string? PersonPseudonym, string Sha256);

/// <summary>A volume count and the file it came from.</summary>
public readonly record struct VolumeEntry(ParsedVolume Volume, string Sha256);

public static class CuratedTables
{
    /// <summary>curated/ledger: one row per transaction of a voucher.</summary>
    public static ParquetTable<LedgerEntry> Ledger { get; } = new ParquetTable<LedgerEntry>()
        .String("voucher_series", e => e.Voucher.Series)
        .String("voucher_number", e => e.Voucher.Number)
        .Date("voucher_date", e => e.Voucher.Date)
        .String("voucher_text", e => e.Voucher.Text)
        .Date("transaction_date", e => e.Transaction.Date)
        .String("account", e => e.Transaction.Account)
        .Money("amount", e => e.Transaction.Amount)
        .String("cost_objects", e => e.Transaction.CostObjects)
        .String("text", e => e.Transaction.Text)
        .String("source_format", e => e.Format)
        .String("source_sha256", e => e.Sha256)
        .Int("source_line", e => e.Transaction.Line);

    /// <summary>curated/opening_balances: #IB 0 or CSV "IB" rows; the latest month's file of a year wins.</summary>
    public static ParquetTable<OpeningBalanceEntry> OpeningBalances { get; } = new ParquetTable<OpeningBalanceEntry>()
        .Int("year", e => e.Balance.YearStart.Year)
        .String("account", e => e.Balance.Account)
        .Money("amount", e => e.Balance.Amount)
        .String("source_sha256", e => e.Sha256)
        .Int("source_line", e => e.Balance.Line);

    /// <summary>
    /// curated/registrations: one row per registration in an intervention; never an identity number or a birth date,
    /// only the exact age at the start (alder_start, null when anonymous). Files written before alder_start lack it
    /// (and have fodelsear instead): the models read them with the age unknown.
    /// </summary>
    public static ParquetTable<RegistrationEntry> Registrations { get; } = new ParquetTable<RegistrationEntry>()
        .String("registrering_id", e => e.Registration.RegistreringId)
        .String("person_pseudonym", e => e.PersonPseudonym)
        .Bool("anonym", e => e.Registration.Anonym)
        .String("kon", e => e.Registration.Kon)
        .NullableInt("alder_start", e => e.Registration.AlderStart)
        .String("kommun", e => e.Registration.Kommun)
        .String("insats_id", e => e.Registration.InsatsId)
        .String("insats_namn", e => e.Registration.InsatsNamn)
        .String("insats_typ", e => e.Registration.InsatsTyp)
        .Date("startdatum", e => e.Registration.Startdatum)
        .NullableDate("slutdatum", e => e.Registration.Slutdatum)
        .String("utbildning", e => e.Registration.Utbildning)
        .String("forsorjning_fore", e => e.Registration.ForsorjningFore)
        .String("forsorjning_efter", e => e.Registration.ForsorjningEfter)
        .String("avslutsorsak", e => e.Registration.Avslutsorsak)
        .String("source_sha256", e => e.Sha256)
        .Int("source_line", e => e.Registration.Line);

    /// <summary>curated/volumes: participants registered by volume, per intervention, month and gender (counts, no personal data).</summary>
    public static ParquetTable<VolumeEntry> Volumes { get; } = new ParquetTable<VolumeEntry>()
        .String("insats_id", e => e.Volume.InsatsId)
        .String("insats_typ", e => e.Volume.InsatsTyp)
        .String("manad", e => e.Volume.Manad)
        .String("kon", e => e.Volume.Kon)
        .Int("antal", e => e.Volume.Antal)
        .String("source_sha256", e => e.Sha256)
        .Int("source_line", e => e.Volume.Line);
}
