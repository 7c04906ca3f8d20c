using System.Globalization;
using System.Text.RegularExpressions;

namespace Finsam.Pipeline.Ledger;

/// <summary>Parses amounts in kronor with at most two decimals; nothing is rounded.</summary>
public static partial class MoneyParser
{
    /// <param name="allowDecimalComma">CSV ledgers may use a decimal comma; SIE always uses a point.</param>
    public static bool TryParse(string? text, bool allowDecimalComma, out decimal amount)
    {
        amount = 0;
        var s = text?.Trim() ?? "";
        if (allowDecimalComma && s.Contains(',') && !s.Contains('.')) s = s.Replace(',', '.');
        if (!Shape().IsMatch(s)) return false;
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }

    // Optional sign, digits, optional point with up to 2 decimals (more would have to be rounded),
    // trailing zeros beyond that are exact and allowed.
    [GeneratedRegex(@"^[-+]?\d{1,15}(\.\d{0,2}0*)?$")]
    private static partial Regex Shape();
}
