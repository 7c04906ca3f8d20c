namespace Finsam.Pipeline.Ledger;

/// <summary>A voucher (verifikation) as read from a SIE 4 or CSV ledger file, before validation.</summary>
public sealed record ParsedVoucher(string Series, string Number, DateOnly Date, string Text, int Line)
{
    /// <summary>
    /// The voucher's rows: a slice of one array that holds the rows of all vouchers of the file (or
    /// of the part of it one thread read), so that a large file's rows are one large array that the
    /// garbage collector never copies, rather than a small array per voucher.
    /// </summary>
    public ArraySegment<ParsedTransaction> Transactions { get; private set; } = ArraySegment<ParsedTransaction>.Empty;

    public string Id => Series.Length == 0 ? Number : $"{Series} {Number}";

    /// <summary>Rows the export marks as removed (SIE #BTRANS): not part of the voucher, counted to say why one is empty.</summary>
    public int RemovedRows { get; set; }

    /// <summary>
    /// Gives each voucher its rows, <paramref name="rows"/>[starts[i] .. starts[i + 1]) (the last up to
    /// <paramref name="count"/>): the vouchers' rows must lie one after the other in that array.
    /// </summary>
    public static void AssignTransactions(IReadOnlyList<ParsedVoucher> vouchers, IReadOnlyList<int> starts, ParsedTransaction[] rows, int count)
    {
        for (var i = 0; i < vouchers.Count; i++)
        {
            var end = i + 1 < vouchers.Count ? starts[i + 1] : count;
            vouchers[i].Transactions = new ArraySegment<ParsedTransaction>(rows, starts[i], end - starts[i]);
        }
    }
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
    /// <summary>
    /// The previous year's result as the file states it (SIE #RES -1, summed; result accounts, credit negative), when it does:
    /// opening balances that sum to minus this have not had last year's result booked to equity yet.
    /// </summary>
    public decimal? PreviousYearResult { get; set; }
    public int TransactionCount => Vouchers.Sum(v => v.Transactions.Count);
}
