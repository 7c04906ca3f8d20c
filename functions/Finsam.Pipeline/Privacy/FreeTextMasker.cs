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

    /// <summary>The text with every personnummer-shaped string masked: for names and messages on their way to a log or a report.</summary>
    public static string Masked(string? text) => Mask(text).Text;

    /// <summary>
    /// Whether the text holds an identity number of someone at least <see cref="MinimumAge"/> years old on
    /// <paramref name="on"/>, with a valid check digit (an identifier or code, which cannot be masked the way free text is).
    /// Ids numbered by a date and a running number (250305-0001, 202503050001) have the same shape, and one in ten has a
    /// valid check digit, so a file of such ids would always hold one; but their dates are recent: a person born on them
    /// would be a child, not a participant or a member of staff.
    /// </summary>
    public static bool ContainsCheckedNumber(string? text, DateOnly on)
    {
        if (string.IsNullOrEmpty(text) || !MayContainNumber(text)) return false;
        foreach (Match match in Shape().Matches(text))
        {
            var digits = new string(match.Value.Where(char.IsAsciiDigit).ToArray());
            if (!PersonalIdentityNumber.LuhnValid(digits.AsSpan(digits.Length - 10))) continue;
            int year;
            if (digits.Length == 12) year = int.Parse(digits.AsSpan(0, 4));
            else
            {
                // Ten digits: the century that makes the person at most 99 (100 or more with '+').
                var yy = int.Parse(digits.AsSpan(0, 2));
                year = on.Year - (on.Year - yy) % 100;
                if (year > on.Year) year -= 100;
                if (match.Value.Contains('+')) year -= 100;
            }
            if (on.Year - year >= MinimumAge) return true;
        }
        return false;
    }

    /// <summary>The youngest age an identity number in an identifier is taken for one (participants are 16 and over).</summary>
    public const int MinimumAge = 15;

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
