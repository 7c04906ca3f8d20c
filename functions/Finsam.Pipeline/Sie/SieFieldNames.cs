namespace Finsam.Pipeline.Sie;

/// <summary>The names the SIE 4 specification gives the fields of the records a ledger holds, for the column of a report.</summary>
internal static class SieFieldNames
{
    private static readonly string[] Transaction = ["kontonr", "objektlista", "belopp", "transdat", "transtext", "kvantitet", "sign"];
    private static readonly string[] Balance = ["årsnr", "konto", "saldo", "kvantitet"];
    private static readonly string[] ObjectBalance = ["årsnr", "konto", "objekt", "saldo", "kvantitet"];

    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        ["#VER"] = ["serie", "vernr", "verdatum", "vertext", "regdatum", "sign"],
        ["#TRANS"] = Transaction,
        ["#RTRANS"] = Transaction,
        ["#BTRANS"] = Transaction,
        ["#IB"] = Balance,
        ["#UB"] = Balance,
        ["#RES"] = Balance,
        ["#OIB"] = ObjectBalance,
        ["#OUB"] = ObjectBalance,
        ["#KONTO"] = ["kontonr", "kontonamn"],
        ["#OBJEKT"] = ["dimensionsnr", "objektnr", "objektnamn"],
        ["#DIM"] = ["dimensionsnr", "namn"],
        ["#FNAMN"] = ["företagsnamn"],
        ["#PROGRAM"] = ["programnamn", "version"],
        ["#ORGNR"] = ["orgnr", "förvnr", "verknr"],
        ["#ADRESS"] = ["kontakt", "utdelningsadr", "postadr", "tel"],
        ["#RAR"] = ["årsnr", "start", "slut"],
    };

    /// <summary>
    /// "#TRANS transtext" for field 5 of a #TRANS line, "#FOO fält 2" for a record without names, "post" for the record
    /// label itself (fields are counted after the label, as the specification counts them).
    /// </summary>
    public static string Column(ReadOnlySpan<char> label, int field)
    {
        if (field == 0) return "post";
        if (label.Length > 16) return $"fält {field}";
        var name = label.ToString().ToUpperInvariant();
        return Names.TryGetValue(name, out var names) && field <= names.Length ? $"{name} {names[field - 1]}" : $"{name} fält {field}";
    }
}
