using System.Text.RegularExpressions;

namespace Finsam.Pipeline.Privacy;

/// <summary>
/// Masks anything shaped like a personal identity or coordination number in free text typed by
/// staff (voucher texts, intervention names). It masks on shape alone — with or without a valid
/// check digit — because a mistyped number still points at a person.
/// </summary>
public static partial class FreeTextMasker
{
    public const string Replacement = "[personnummer]";

    /// <summary>The text with every personnummer-shaped string replaced, and how many there were.</summary>
    public static (string Text, int Masked) Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return (text ?? "", 0);
        if (!MayContainNumber(text)) return (text, 0);
        var count = 0;
        var masked = Shape().Replace(text, _ => { count++; return Replacement; });
        return (masked, count);
    }

    /// <summary>
    /// Whether the text holds an identity number with a valid check digit (an identifier or code, which cannot be masked the
    /// way free text is). With <paramref name="dateAndRunningNumber"/>, twelve digits without a separator are taken for a date
    /// and a running number (voucher numbers such as 202503050001), which they are far more often than an identity number.
    /// </summary>
    public static bool ContainsCheckedNumber(string? text, bool dateAndRunningNumber = false)
    {
        if (string.IsNullOrEmpty(text) || !MayContainNumber(text)) return false;
        foreach (Match match in Shape().Matches(text))
        {
            var digits = new string(match.Value.Where(char.IsAsciiDigit).ToArray());
            if (dateAndRunningNumber && match.Value.Length == 12 && digits.Length == 12) continue;
            if (PersonalIdentityNumber.LuhnValid(digits.AsSpan(digits.Length - 10))) return true;
        }
        return false;
    }

    /// <summary>Ten digits are the least any identity number has; most texts have far fewer.</summary>
    public static bool MayContainNumber(ReadOnlySpan<char> text)
    {
        var digits = 0;
        foreach (var c in text)
            if (char.IsAsciiDigit(c) && ++digits >= 10) return true;
        return false;
    }

    // yy or yyyy, month 01-12, day 01-31 or 61-91 (coordination numbers), optional - or + or space, four digits;
    // not part of a longer run of digits.
    [GeneratedRegex(@"(?<!\d)(?:\d{2})?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+ ]?\d{4}(?!\d)")]
    private static partial Regex Shape();
}
