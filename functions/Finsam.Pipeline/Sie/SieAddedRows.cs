using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ledger;

namespace Finsam.Pipeline.Sie;

/// <summary>
/// The added rows (#RTRANS) of the voucher being read that wait for their copy. SIE 4B, #RTRANS items 4 and 6: an added
/// row is followed by the same row as #TRANS for readers that do not know #RTRANS, and a reader that knows it skips that
/// #TRANS. Exporters write the copy without the signature, or with the voucher's date and a shorter text (Fortnox, BL
/// Administration): a #TRANS is a copy when its account, object list (in any order of its pairs) and amount are those of an
/// added row of the same voucher still waiting for one. A copy that does not come right after its added row, and an added
/// row whose voucher ends without its copy, are warnings (once a file): the row counts once either way.
/// </summary>
internal sealed class SieAddedRows(ValidationReport report)
{
    private readonly List<ParsedTransaction> _waiting = [];
    /// <summary>The added row read on the record before this one, if that record was an #RTRANS.</summary>
    private ParsedTransaction? _justAdded;

    /// <summary>Every record but #TRANS and #RTRANS: the next #TRANS does not come right after an added row.</summary>
    public void OtherRecord() => _justAdded = null;

    public void Added(ParsedTransaction row)
    {
        _waiting.Add(row);
        _justAdded = row;
    }

    /// <summary>Whether <paramref name="row"/>, read from a #TRANS, is the copy of a waiting added row (then it is not counted).</summary>
    public bool IsCopy(ParsedTransaction row)
    {
        var justAdded = _justAdded;
        _justAdded = null;
        if (_waiting.Count == 0) return false;
        var objects = Canonical(row.CostObjects);
        var at = justAdded is { } last && Same(last, row, objects) ? _waiting.LastIndexOf(last) : IndexOfSame(row, objects);
        if (at < 0) return false;
        var original = _waiting[at];
        _waiting.RemoveAt(at);
        if (justAdded is not { } previous || previous != original)
            report.Warning("sie_rtrans_copy_out_of_place", row.Line, "#TRANS", Describe(row),
                $"Raden är kopian av en tillagd rad (#RTRANS på rad {original.Line}) men står inte direkt efter den, som SIE 4 föreskriver. " +
                "Den räknas inte två gånger; kontrollera verifikationen i ekonomisystemet. Gäller den första sådana raden i filen.",
                $"The row is the copy of an added row (#RTRANS on line {original.Line}) but does not come right after it, as SIE 4 requires. " +
                "It is not counted twice; check the voucher in the accounting system. Said of the first such row in the file.");
        return true;
    }

    /// <summary>The voucher ends: an added row still waiting never had its copy.</summary>
    public void EndVoucher()
    {
        _justAdded = null;
        if (_waiting.Count == 0) return;
        var first = _waiting[0];
        _waiting.Clear();
        report.Warning("sie_rtrans_without_copy", first.Line, "#RTRANS", Describe(first),
            "En tillagd rad (#RTRANS) har ingen kopia (#TRANS med samma konto, objektlista och belopp) i sin verifikation, som SIE 4 föreskriver. " +
            "Raden räknas en gång. Gäller den första sådana raden i filen.",
            "An added row (#RTRANS) has no copy (#TRANS with the same account, object list and amount) in its voucher, as SIE 4 requires. " +
            "The row counts once. Said of the first such row in the file.");
    }

    /// <summary>
    /// The first waiting added row that <paramref name="row"/> is a copy of, or -1. A loop rather than a lambda: a lambda that
    /// captured the row would be allocated on every call of <see cref="IsCopy"/>, once for each #TRANS of the file.
    /// </summary>
    private int IndexOfSame(ParsedTransaction row, string rowObjects)
    {
        for (var i = 0; i < _waiting.Count; i++)
            if (Same(_waiting[i], row, rowObjects)) return i;
        return -1;
    }

    private static bool Same(ParsedTransaction added, ParsedTransaction row, string rowObjects) =>
        added.Account == row.Account && added.Amount == row.Amount && Canonical(added.CostObjects) == rowObjects;

    /// <summary>An object list "dim:code|dim:code" with its pairs in one order, so that the order they are written in does not matter.</summary>
    private static string Canonical(string objects) =>
        objects.Contains('|') ? string.Join('|', objects.Split('|').Order(StringComparer.Ordinal)) : objects;

    private static string Describe(ParsedTransaction row) => $"{row.Account} {row.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}";
}
