using System.Globalization;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Volumes;

/// <summary>
/// Reads and checks a monthly volume export: per intervention, month and gender, the number of participants registered
/// by volume (advice and consultative cases in individual interventions, staff at structural ones), without personal data.
/// Every month must be the landing month; counts are non-negative integers; an intervention, month and gender appears
/// once. An intervention that reference/insatser.csv does not list for the federation is a warning.
/// </summary>
public static class VolumeParser
{
    /// <param name="knownInsatser">The federation's interventions from reference/insatser.csv; null when they are not
    /// known here (finsam validate without --insatser), and the check is left out.</param>
    /// <param name="limits">The longest line and field; null: <see cref="TextLimits.Default"/>.</param>
    public static ParsedVolumes Parse(DelimitedSource text, Period period, IReadOnlySet<string>? knownInsatser, ValidationReport report, TextLimits? limits = null)
    {
        limits ??= TextLimits.Default;
        var result = new ParsedVolumes();
        var seen = new Dictionary<(string, string, string), int>();
        var unknownReported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in DelimitedText.Read(text, DelimitedText.DetectDelimiter(text), limits.MaxLineLength, limits.MaxFieldLength,
                     over => limits.Report(report, over, VolumeCodes.Header)).Skip(1)) // after the header
        {
            if (Read(record, period, report) is not { } row) continue;
            if (seen.TryGetValue((row.InsatsId, row.Manad, row.Kon), out var firstLine))
            {
                report.Error("volume_duplicate", row.Line, "insats_id", row.InsatsId,
                    $"Insatsen, månaden och könet finns redan på rad {firstLine}; varje kombination får förekomma en gång.",
                    $"The intervention, month and gender already appear on line {firstLine}; each combination may appear once.");
                continue;
            }
            seen.Add((row.InsatsId, row.Manad, row.Kon), row.Line);
            if (knownInsatser is not null && !knownInsatser.Contains(row.InsatsId) && unknownReported.Add(row.InsatsId))
                report.Warning("insats_unknown", row.Line, "insats_id", row.InsatsId,
                    "Insatsen finns inte i reference/insatser.csv för förbundet; raden tas med, men lägg till insatsen där.",
                    "The intervention is not in reference/insatser.csv for the federation; the row is kept, but add the intervention there.");
            result.Rows.Add(row);
        }
        if (result.Rows.Count == 0 && !report.HasErrors)
            report.Error("no_rows", null, null, null,
                "Filen har inga rader. En månad utan volymregistreringar lämnas med antal 0 för insatserna, så att månaden syns som levererad.",
                "The file has no rows. A month without volume registrations is delivered with antal 0 for the interventions, so that the month counts as delivered.");
        return result;
    }

    private static ParsedVolume? Read(DelimitedRecord record, Period period, ValidationReport report)
    {
        var f = record.Fields;
        var line = record.Line;
        if (f.Length != VolumeCodes.Header.Length)
        {
            report.Error("column_count", line, null, f.Length.ToString(CultureInfo.InvariantCulture),
                $"Raden har {f.Length} fält, den ska ha {VolumeCodes.Header.Length}.", $"The row has {f.Length} fields; it must have {VolumeCodes.Header.Length}.");
            return null;
        }
        var ok = true;
        void Error(string code, string column, string value, string sv, string en)
        {
            report.Error(code, line, column, value, sv, en);
            ok = false;
        }
        string? OneOf(string column, string value, string[] allowed)
        {
            if (value.Length == 0)
            {
                Error("required", column, "", $"{column} saknas.", $"{column} is missing.");
                return null;
            }
            var known = Array.IndexOf(allowed, value);
            if (known >= 0) return allowed[known];
            Error("code_invalid", column, value, $"Ogiltigt värde; tillåtna är: {string.Join(", ", allowed)}.", $"Invalid value; allowed are: {string.Join(", ", allowed)}.");
            return null;
        }

        var (insatsId, typText, manadText, konText, antalText) = (f[0].Trim(), f[1].Trim(), f[2].Trim(), f[3].Trim(), f[4].Trim());
        if (insatsId.Length == 0) Error("required", "insats_id", "", "insats_id saknas.", "insats_id is missing.");
        var typ = OneOf("insats_typ", typText, VolumeCodes.InsatsTyp);
        if (manadText.Length == 0)
            Error("required", "manad", "", "manad saknas.", "manad is missing.");
        else if (!Period.TryParse(manadText, out var manad))
            Error("month_invalid", "manad", manadText, "manad ska skrivas ÅÅÅÅ-MM, t.ex. 2025-03.", "manad must be written YYYY-MM, e.g. 2025-03.");
        else if (manad != period)
            Error("month_outside_landing_month", "manad", manadText,
                $"manad ligger utanför leveransmånaden {period}; en volymexport gäller sin egen månad.",
                $"manad is outside the landing month {period}; a volume export is for its own month.");
        var kon = OneOf("kon", konText, VolumeCodes.Kon);
        int antal = 0;
        if (antalText.Length == 0)
            Error("required", "antal", "", "antal saknas.", "antal is missing.");
        else if (!int.TryParse(antalText, NumberStyles.None, CultureInfo.InvariantCulture, out antal))
            Error("count_invalid", "antal", antalText, "antal ska vara ett heltal, 0 eller större, utan tecken och decimaler.",
                "antal must be a whole number, 0 or more, without sign or decimals.");
        return ok ? new ParsedVolume(line, insatsId, typ!, manadText, kon!, antal) : null;
    }
}
