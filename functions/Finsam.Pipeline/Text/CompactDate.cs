namespace Finsam.Pipeline.Text;

/// <summary>Fast, strict parsing of the date forms in the contract: yyyyMMdd (SIE) and yyyy-MM-dd.</summary>
public static class CompactDate
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        int year, month, day;
        if (s.Length == 8 && Digits(s, 0, 4, out year) && Digits(s, 4, 2, out month) && Digits(s, 6, 2, out day)) { }
        else if (s.Length == 10 && s[4] == '-' && s[7] == '-' && Digits(s, 0, 4, out year) && Digits(s, 5, 2, out month) && Digits(s, 8, 2, out day)) { }
        else return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Only yyyyMMdd, as SIE writes dates.</summary>
    public static bool TryParseCompact(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        return s.Length == 8 && TryParse(s, out date);
    }

    /// <summary>Only yyyy-MM-dd.</summary>
    public static bool TryParseIso(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        return s.Length == 10 && TryParse(s, out date);
    }

    /// <summary>
    /// What to add to a date's error when it is written in a form of the contract but is no day of the calendar (30 February,
    /// month 13): "written YYYY-MM-DD" alone would send the reader looking for a wrong format. Empty otherwise.
    /// </summary>
    public static (string Sv, string En) NotInCalendar(ReadOnlySpan<char> s)
    {
        var shaped = (s.Length == 8 && Digits(s, 0, 8, out _)) ||
                     (s.Length == 10 && s[4] == '-' && s[7] == '-' && Digits(s, 0, 4, out _) && Digits(s, 5, 2, out _) && Digits(s, 8, 2, out _));
        return shaped && !TryParse(s, out _)
            ? (" Datumet finns inte i kalendern.", " That date does not exist in the calendar.")
            : ("", "");
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
