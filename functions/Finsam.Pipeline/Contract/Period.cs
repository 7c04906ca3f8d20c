using System.Globalization;

namespace Finsam.Pipeline.Contract;

/// <summary>A landing month, written yyyy-MM.</summary>
public readonly record struct Period(int Year, int Month) : IComparable<Period>
{
    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    public bool Contains(DateOnly date) => date >= FirstDay && date <= LastDay;
    public override string ToString() => $"{Year:D4}-{Month:D2}";
    public int CompareTo(Period other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (text is null || text.Length != 7 || text[4] != '-') return false;
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        if (date.Year < 2000 || date.Year > 2099) return false;
        period = new Period(date.Year, date.Month);
        return true;
    }
}
