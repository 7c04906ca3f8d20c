using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>Clearly fictitious identity numbers with a correct check digit, built from a date and a serial.</summary>
public static class TestPersons
{
    /// <summary>yyyyMMdd-NNNC with a valid Luhn digit; add 60 to the day for a coordination number.</summary>
    public static string Number(int year, int month, int day, int serial, bool coordination = false)
    {
        var nine = $"{year % 100:D2}{month:D2}{day + (coordination ? 60 : 0):D2}{serial:D3}";
        return $"{year:D4}{month:D2}{day + (coordination ? 60 : 0):D2}-{serial:D3}{PersonalIdentityNumber.CheckDigit(nine)}";
    }

    /// <summary>The same number as 10 digits with '-'.</summary>
    public static string Short(string twelve) => twelve[2..];

    /// <summary>The same number as 12 digits without separator.</summary>
    public static string Compact(string twelve) => twelve.Replace("-", "");

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static string KeyBase64 => Convert.ToBase64String(Key);
}
