using System.Globalization;

namespace Finsam.Pipeline.Publishing.Formats;

/// <summary>How values are written as text in member files: fixed formats, no culture lookups, no formula injection.</summary>
public static class CellText
{
    private static readonly NumberFormatInfo DecimalComma = new() { NumberDecimalSeparator = ",", NegativeSign = "-" };

    /// <summary>Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) gets a leading apostrophe.</summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>A decimal without trailing zeros: 0.250000 → 0.25, 1200.00 → 1200.</summary>
    public static decimal Normalise(decimal value) => value / 1.000000000000000000000000000000000m;

    public static string Format(object? value, bool decimalComma) => value switch
    {
        null => "",
        string s => Neutralise(s),
        decimal d => Normalise(d).ToString(decimalComma ? DecimalComma : NumberFormatInfo.InvariantInfo),
        double d => d.ToString("R", decimalComma ? DecimalComma : NumberFormatInfo.InvariantInfo),
        float f => f.ToString("R", decimalComma ? DecimalComma : NumberFormatInfo.InvariantInfo),
        bool b => b ? "true" : "false",
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Neutralise(value.ToString() ?? ""),
    };
}
