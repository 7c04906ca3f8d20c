namespace Finsam.Pipeline.Ledger;

/// <summary>A voucher (verifikation) as read from a SIE 4 or CSV ledger file, before validation.</summary>
public sealed record ParsedVoucher(string Series, string Number, DateOnly Date, string Text, int Line)
{
    public List<ParsedTransaction> Transactions { get; } = [];
    public string Id => Series.Length == 0 ? Number : $"{Series} {Number}";
}

/// <summary>One transaction row of a voucher (a value, kept inline in its voucher). <see cref="CostObjects"/> is "dim:code|dim:code".</summary>
public readonly record struct ParsedTransaction(string Account, string CostObjects, decimal Amount, DateOnly Date, string Text, int Line);

/// <summary>An opening balance (#IB / CSV row "IB") for the fiscal year starting <see cref="YearStart"/>.</summary>
public sealed record ParsedOpeningBalance(DateOnly YearStart, string Account, decimal Amount, int Line);

/// <summary>Everything a ledger file holds that the pipeline keeps, plus its issues.</summary>
public sealed class ParsedLedger
{
    public required string Format { get; init; }
    public List<ParsedVoucher> Vouchers { get; } = [];
    public List<ParsedOpeningBalance> OpeningBalances { get; } = [];
    /// <summary>Personnummer-shaped strings masked in texts.</summary>
    public int MaskedTexts { get; set; }
    public int TransactionCount => Vouchers.Sum(v => v.Transactions.Count);
}
