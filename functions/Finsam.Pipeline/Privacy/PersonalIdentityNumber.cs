namespace Finsam.Pipeline.Privacy;

/// <summary>
/// A Swedish personal identity number (personnummer) or coordination number (samordningsnummer,
/// day of birth + 60), normalised to 12 digits (yyyyMMddNNNC). Lives in memory only during
/// ingestion: it is never written anywhere; use <see cref="Pseudonymizer"/> and <see cref="Mask"/>.
/// </summary>
public readonly record struct PersonalIdentityNumber
{
    private PersonalIdentityNumber(string normalized, DateOnly birthDate, bool isCoordinationNumber)
    {
        Normalized = normalized;
        BirthDate = birthDate;
        IsCoordinationNumber = isCoordinationNumber;
    }

    /// <summary>12 digits, yyyyMMddNNNC, with the day as written (+60 for coordination numbers).</summary>
    public string Normalized { get; }
    public DateOnly BirthDate { get; }
    public bool IsCoordinationNumber { get; }
    public int BirthYear => BirthDate.Year;

    /// <summary>
    /// Age in whole years on <paramref name="date"/>: one year more from the birthday on (someone born on 29 February
    /// turns a year older on 1 March in other years). Only the age leaves ingestion, never the birth date.
    /// </summary>
    public int AgeOn(DateOnly date) => AgeOn(BirthDate, date);

    /// <inheritdoc cref="AgeOn(DateOnly)"/>
    public static int AgeOn(DateOnly birthDate, DateOnly date) =>
        date.Year - birthDate.Year - ((date.Month, date.Day).CompareTo((birthDate.Month, birthDate.Day)) < 0 ? 1 : 0);

    // Never print the number itself, even by accident.
    public override string ToString() => Mask(Normalized);

    /// <summary>
    /// Parses 10 or 12 digits with an optional '-' or '+' before the last four. For 10 digits the
    /// century is the latest one that puts the birth date on or before <paramref name="referenceDate"/>,
    /// one more back with '+' (100 years or older), as the Swedish Tax Agency defines it.
    /// </summary>
    public static bool TryParse(string? input, DateOnly referenceDate, out PersonalIdentityNumber number, out string problemEn, out string problemSv)
    {
        number = default;
        problemEn = problemSv = "";
        var trimmed = (input ?? "").AsSpan().Trim();
        if (!TrySplit(trimmed, out var datePart, out var separator, out var serial))
        {
            problemEn = "not 10 or 12 digits (yyyyMMdd-NNNN or yyMMdd-NNNN)";
            problemSv = "inte 10 eller 12 siffror (ååååMMdd-NNNN eller ååMMdd-NNNN)";
            return false;
        }
        var month = Number(datePart[^4..^2]);
        var day = Number(datePart[^2..]);
        var isCoordination = day > 60;
        var realDay = isCoordination ? day - 60 : day;

        int year;
        if (datePart.Length == 8)
        {
            year = Number(datePart[..4]);
        }
        else
        {
            var yy = Number(datePart[..2]);
            year = referenceDate.Year / 100 * 100 + yy;
            if (month > 12 || realDay < 1 || realDay > 31 || IsAfter(year, month, realDay, referenceDate)) year -= 100;
            if (separator == '+') year -= 100;
        }

        if (month is < 1 or > 12 || realDay < 1 || realDay > DateTime.DaysInMonth(Math.Max(1, year), month))
        {
            problemEn = "the date of birth does not exist";
            problemSv = "födelsedatumet finns inte";
            return false;
        }
        var birthDate = new DateOnly(year, month, realDay);
        if (birthDate > referenceDate)
        {
            problemEn = "the date of birth is in the future";
            problemSv = "födelsedatumet ligger i framtiden";
            return false;
        }
        Span<char> tenDigits = stackalloc char[10];
        datePart[^6..].CopyTo(tenDigits);
        serial.CopyTo(tenDigits[6..]);
        if (!LuhnValid(tenDigits))
        {
            problemEn = "the check digit is wrong (Luhn)";
            problemSv = "kontrollsiffran stämmer inte (Luhn)";
            return false;
        }
        number = new PersonalIdentityNumber(string.Concat($"{year:D4}", datePart[^4..], serial), birthDate, isCoordination);
        return true;
    }

    /// <summary>
    /// Masks a value that is, or may be, an identity number for reports: the birth date part stays,
    /// the last four digits become '****' (e.g. 19900101-****). Anything shorter is masked whole.
    /// </summary>
    public static string Mask(string? value)
    {
        var digits = new string((value ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 10 ? $"{digits[..^4]}-****" : new string('*', Math.Max(4, (value ?? "").Length));
    }

    /// <summary>The Luhn check over the 10 digits yyMMddNNNC.</summary>
    public static bool LuhnValid(ReadOnlySpan<char> tenDigits)
    {
        var sum = 0;
        for (var i = 0; i < tenDigits.Length; i++)
        {
            var d = (tenDigits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }
        return sum % 10 == 0;
    }

    /// <summary>The check digit that makes nine digits yyMMddNNN Luhn-valid (for generating test data).</summary>
    public static char CheckDigit(string nineDigits)
    {
        for (var c = '0'; c <= '9'; c++)
            if (LuhnValid(nineDigits + c)) return c;
        throw new InvalidOperationException("unreachable");
    }

    private static bool IsAfter(int year, int month, int day, DateOnly reference) =>
        month is >= 1 and <= 12 && day <= DateTime.DaysInMonth(year, month) && new DateOnly(year, month, day) > reference;

    /// <summary>yyyyMMdd or yyMMdd, an optional '-' or '+', four digits.</summary>
    private static bool TrySplit(ReadOnlySpan<char> s, out ReadOnlySpan<char> datePart, out char separator, out ReadOnlySpan<char> serial)
    {
        datePart = serial = default;
        separator = '\0';
        if (s.Length < 10) return false;
        serial = s[^4..];
        var rest = s[..^4];
        if (rest[^1] is '-' or '+')
        {
            separator = rest[^1];
            rest = rest[..^1];
        }
        datePart = rest;
        return rest.Length is 6 or 8 && !rest.ContainsAnyExceptInRange('0', '9') && !serial.ContainsAnyExceptInRange('0', '9');
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits) value = value * 10 + (c - '0');
        return value;
    }
}
