namespace Finsam.Pipeline.Ledger;

/// <summary>Parses amounts in kronor with at most two decimals; nothing is rounded.</summary>
public static class MoneyParser
{
    private const int MaxIntegerDigits = 15;

    /// <summary>
    /// Accepts an optional sign, 1–15 digits and optionally a decimal separator with up to two decimals
    /// (more decimals only if they are zeros, which change nothing). No thousands separators, no spaces inside.
    /// </summary>
    /// <param name="allowDecimalComma">CSV ledgers may use a decimal comma; SIE always uses a point.</param>
    public static bool TryParse(string? text, bool allowDecimalComma, out decimal amount) =>
        TryParse((text ?? "").AsSpan(), allowDecimalComma, out amount);

    public static bool TryParse(ReadOnlySpan<char> text, bool allowDecimalComma, out decimal amount)
    {
        amount = 0;
        var s = text.Trim();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        long cents = 0;
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            if (i >= MaxIntegerDigits) return false;
            cents = cents * 10 + (s[i] - '0');
            i++;
        }
        if (i == 0) return false;
        var decimals = 0;
        if (i < s.Length)
        {
            if (!(s[i] == '.' || (allowDecimalComma && s[i] == ','))) return false;
            i++;
            for (; i < s.Length; i++)
            {
                if (!char.IsAsciiDigit(s[i])) return false;
                if (decimals < 2)
                {
                    cents = cents * 10 + (s[i] - '0');
                    decimals++;
                }
                else if (s[i] != '0')
                {
                    return false; // a third significant decimal would have to be rounded
                }
            }
        }
        for (; decimals < 2; decimals++) cents *= 10;
        amount = new decimal((int)(cents & 0xFFFFFFFF), (int)(cents >> 32), 0, negative && cents != 0, 2);
        return true;
    }
}
