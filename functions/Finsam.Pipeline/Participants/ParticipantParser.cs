using System.Collections.Frozen;
using System.Globalization;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Participants;

/// <summary>
/// Reads and checks a SUS-like participant export: one row per registration in an intervention,
/// every registration active at any time in the landing month. Identity numbers are checked
/// (format, date, Luhn) and never appear in messages except masked (19900101-****).
/// </summary>
public static class ParticipantParser
{
    private static readonly System.Collections.Frozen.FrozenDictionary<string, int> ColumnIndex =
        ParticipantCodes.Header.Select((name, index) => (name, index)).ToFrozenDictionary(c => c.name, c => c.index);

    /// <summary>Records are checked in chunks of this many, while the next ones are read.</summary>
    private const int ChunkRows = 4096;

    private sealed record CheckedChunk(List<ParsedRegistration> Rows, ValidationReport Report, int Masked);

    public static ParsedParticipants Parse(DelimitedSource text, Period period, ValidationReport report, TextLimits? limits = null)
    {
        limits ??= TextLimits.Default;
        // Each chunk of records is checked on another thread as soon as it is read, so the CSV reader
        // and the checks run at once, and a chunk's raw records are garbage before the next are read.
        var chunks = new List<Task<CheckedChunk>>();
        var records = new List<DelimitedRecord>(ChunkRows);
        // The reader gives each field a string of its own (the faster way, and it is the one thread that cannot be shared);
        // the checks share the repeated values a registration keeps.
        foreach (var record in DelimitedText.Read(text, DelimitedText.DetectDelimiter(text), limits.MaxLineLength, limits.MaxFieldLength,
                     over => limits.Report(report, over, ParticipantCodes.Header), shareRepeatedFields: false).Skip(1)) // after the header
        {
            records.Add(record);
            if (records.Count < ChunkRows) continue;
            chunks.Add(CheckOnPool(records, period));
            records = new List<DelimitedRecord>(ChunkRows);
        }
        if (records.Count > 0) chunks.Add(CheckOnPool(records, period));
        Task.WaitAll(chunks);

        var result = new ParsedParticipants();
        var seenIds = new Dictionary<string, int>(chunks.Sum(c => c.Result.Rows.Count), StringComparer.Ordinal);
        foreach (var (rows, chunkReport, masked) in chunks.Select(c => c.Result))
        {
            report.Merge(chunkReport);
            result.MaskedTexts += masked;
            foreach (var registration in rows)
            {
                if (seenIds.TryGetValue(registration.RegistreringId, out var firstLine))
                {
                    report.Error("registration_duplicate", registration.Line, "registrering_id", registration.RegistreringId,
                        $"registrering_id finns redan på rad {firstLine}; den ska vara unik.",
                        $"registrering_id already appears on line {firstLine}; it must be unique.");
                    continue;
                }
                seenIds.Add(registration.RegistreringId, registration.Line);
                result.Registrations.Add(registration);
            }
        }
        return result;
    }

    /// <summary>A chunk checked on the thread pool. A method of its own: a lambda in the reading loop that captured the chunk would be allocated for every record read.</summary>
    private static Task<CheckedChunk> CheckOnPool(List<DelimitedRecord> records, Period period) => Task.Run(() => Check(records, period));

    private static CheckedChunk Check(List<DelimitedRecord> records, Period period)
    {
        var rows = new List<ParsedRegistration>(records.Count);
        var report = new ValidationReport();
        var masked = 0;
        var strings = new StringPool();
        foreach (var record in records)
        {
            var reader = new RowReader(record, period, report, strings);
            if (reader.Read() is { } registration) rows.Add(registration);
            masked += reader.MaskedTexts;
        }
        records.Clear();
        return new CheckedChunk(rows, report, masked);
    }

    /// <param name="strings">Shares the values that repeat from row to row (municipality, intervention, support codes) between the registrations that keep them.</param>
    private sealed class RowReader(DelimitedRecord record, Period period, ValidationReport report, StringPool strings)
    {
        public int MaskedTexts { get; private set; }

        private readonly string[] _f = record.Fields;
        private readonly int _line = record.Line;
        private bool _ok = true;

        private string Get(string column) => _f[ColumnIndex[column]].Trim();

        private void Error(string code, string column, string? value, string sv, string en)
        {
            report.Error(code, _line, column, value, sv, en);
            _ok = false;
        }

        public ParsedRegistration? Read()
        {
            if (_f.Length != ParticipantCodes.Header.Length)
            {
                Error("column_count", "", _f.Length.ToString(CultureInfo.InvariantCulture),
                    $"Raden har {_f.Length} fält, den ska ha {ParticipantCodes.Header.Length}.",
                    $"The row has {_f.Length} fields; it must have {ParticipantCodes.Header.Length}.");
                return null;
            }
            var id = Required("registrering_id");
            var anonym = OneOf("anonym", ParticipantCodes.Anonym, required: true) == "ja";
            var person = ReadPerson(anonym);
            var kon = OneOf("kon", ParticipantCodes.Kon, required: true);
            var fodelsear = ReadBirthYear(person);
            var kommun = ReadKommun(anonym);
            var insatsId = Required("insats_id");
            var (insatsNamn, masked) = FreeTextMasker.Mask(Get("insats_namn"));
            MaskedTexts += masked;
            var insatsTyp = OneOf("insats_typ", ParticipantCodes.InsatsTyp, required: true);
            var start = ReadDate("startdatum", required: true);
            var end = ReadDate("slutdatum", required: false);
            var utbildning = OneOf("utbildning", ParticipantCodes.Utbildning, required: false);
            var fore = ReadSupport("forsorjning_fore");
            var efter = ReadSupport("forsorjning_efter");
            var avslut = OneOf("avslutsorsak", ParticipantCodes.Avslutsorsak, required: false);

            CheckDates(start, end);
            var alderStart = AgeAtStart(person, start);
            if (end is not null && Get("avslutsorsak").Length == 0 && !anonym)
                Error("exit_reason_missing", "avslutsorsak", "",
                    "avslutsorsak måste anges när slutdatum är satt.", "avslutsorsak is required when slutdatum is set.");
            if (Get("slutdatum").Length == 0 && Get("avslutsorsak").Length > 0)
                Error("exit_reason_without_end", "avslutsorsak", Get("avslutsorsak"),
                    "avslutsorsak är angiven men slutdatum saknas.", "avslutsorsak is given but slutdatum is empty.");
            if (anonym)
                foreach (var column in new[] { "fodelsear", "utbildning", "forsorjning_fore", "forsorjning_efter" })
                    if (Get(column).Length > 0)
                        Error("anonymous_with_details", column, Get(column),
                            "En anonym registrering får bara ha kön, datum och insats; fältet ska vara tomt.",
                            "An anonymous registration may only give gender, dates and intervention; this field must be empty.");

            if (!_ok) return null;
            return new ParsedRegistration(_line, id!, person, anonym, kon!, fodelsear, strings.Get(kommun), strings.Get(insatsId!), strings.Get(insatsNamn), insatsTyp!,
                start!.Value, end, utbildning, strings.Get(fore), strings.Get(efter), avslut, alderStart);
        }

        /// <summary>The exact age on the start date; a start before the birth date is an error.</summary>
        private int? AgeAtStart(PersonalIdentityNumber? person, DateOnly? start)
        {
            if (person is not { } p || start is not { } s) return null;
            if (s >= p.BirthDate) return p.AgeOn(s);
            Error("start_before_birth", "startdatum", s.ToString("yyyy-MM-dd"),
                "startdatum ligger före födelsedatumet i personnumret.", "startdatum is before the date of birth in the personnummer.");
            return null;
        }

        private string? Required(string column)
        {
            var value = Get(column);
            if (value.Length > 0) return value;
            Error("required", column, "", $"{column} saknas.", $"{column} is missing.");
            return null;
        }

        private string? OneOf(string column, string[] allowed, bool required)
        {
            var value = Get(column);
            if (value.Length == 0)
            {
                if (required) Error("required", column, "", $"{column} saknas.", $"{column} is missing.");
                return null;
            }
            var known = Array.IndexOf(allowed, value);
            if (known >= 0) return allowed[known];
            Error("code_invalid", column, value,
                $"Ogiltigt värde; tillåtna är: {string.Join(", ", allowed)}.", $"Invalid value; allowed are: {string.Join(", ", allowed)}.");
            return null;
        }

        private PersonalIdentityNumber? ReadPerson(bool anonym)
        {
            var raw = Get("personnummer");
            if (anonym)
            {
                if (raw.Length > 0)
                    Error("anonymous_with_personnummer", "personnummer", PersonalIdentityNumber.Mask(raw),
                        "personnummer ska vara tomt när anonym = ja.", "personnummer must be empty when anonym = ja.");
                return null;
            }
            if (raw.Length == 0)
            {
                Error("personnummer_missing", "personnummer", "",
                    "personnummer saknas; lämna det tomt endast när anonym = ja.", "personnummer is missing; leave it empty only when anonym = ja.");
                return null;
            }
            if (PersonalIdentityNumber.TryParse(raw, period.LastDay, out var number, out var en, out var sv)) return number;
            Error("personnummer_invalid", "personnummer", PersonalIdentityNumber.Mask(raw), $"Ogiltigt personnummer: {sv}.", $"Invalid personnummer: {en}.");
            return null;
        }

        private int? ReadBirthYear(PersonalIdentityNumber? person)
        {
            var raw = Get("fodelsear");
            if (raw.Length == 0) return person?.BirthYear;
            if (!(raw.Length == 4 && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1900 && year <= period.Year))
            {
                Error("birth_year_invalid", "fodelsear", raw, $"fodelsear ska vara ett årtal (1900–{period.Year}).", $"fodelsear must be a year (1900–{period.Year}).");
                return null;
            }
            if (person is { } p && p.BirthYear != year)
            {
                Error("birth_year_mismatch", "fodelsear", raw,
                    $"fodelsear stämmer inte med personnumret (som anger {p.BirthYear}).",
                    $"fodelsear does not agree with the personnummer (which gives {p.BirthYear}).");
                return null;
            }
            return year;
        }

        private string? ReadKommun(bool anonym)
        {
            var raw = Get("kommun");
            if (raw.Length == 0)
            {
                if (!anonym) Error("required", "kommun", "", "kommun saknas.", "kommun is missing.");
                return null;
            }
            if (raw.Length == 4 && raw.All(char.IsAsciiDigit)) return raw;
            Error("kommun_invalid", "kommun", raw, "kommun ska vara en fyrsiffrig kommunkod, t.ex. 1880.", "kommun must be a four-digit municipality code, e.g. 1880.");
            return null;
        }

        private DateOnly? ReadDate(string column, bool required)
        {
            var raw = Get(column);
            if (raw.Length == 0)
            {
                if (required) Error("required", column, "", $"{column} saknas.", $"{column} is missing.");
                return null;
            }
            if (CompactDate.TryParseIso(raw, out var date)) return date;
            var (sv, en) = CompactDate.NotInCalendar(raw);
            Error("date_invalid", column, raw, "Datum ska skrivas ÅÅÅÅ-MM-DD." + sv, "The date must be written YYYY-MM-DD." + en);
            return null;
        }

        private string? ReadSupport(string column)
        {
            var raw = Get(column);
            if (raw.Length == 0) return null;
            var codes = raw.Split('|', StringSplitOptions.TrimEntries);
            // Valid codes, the common case, are checked without allocating; the invalid ones are listed only for the message.
            // The codes as trimmed: the text as written where trimming took nothing from it (no space or tab around a code).
            if (Array.TrueForAll(codes, IsSupportCode))
                return codes.Length == 1 ? codes[0] : codes.Length - 1 + codes.Sum(c => c.Length) == raw.Length ? raw : string.Join('|', codes);
            var invalid = codes.Where(c => !IsSupportCode(c)).ToList();
            Error("code_invalid", column, raw,
                $"Okänd försörjningskod '{string.Join("', '", invalid)}'; tillåtna är: {string.Join(", ", ParticipantCodes.Forsorjning)}.",
                $"Unknown support code '{string.Join("', '", invalid)}'; allowed are: {string.Join(", ", ParticipantCodes.Forsorjning)}.");
            return null;
        }

        private static bool IsSupportCode(string code) => Array.IndexOf(ParticipantCodes.Forsorjning, code) >= 0;

        private void CheckDates(DateOnly? start, DateOnly? end)
        {
            if (start is { } s && s > period.LastDay)
                Error("start_after_period", "startdatum", s.ToString("yyyy-MM-dd"),
                    $"startdatum ligger efter leveransmånaden {period}; registreringen var inte aktiv i månaden.",
                    $"startdatum is after the landing month {period}; the registration was not active in the month.");
            if (end is not { } e) return;
            if (start is { } st && e < st)
                Error("end_before_start", "slutdatum", e.ToString("yyyy-MM-dd"), "slutdatum ligger före startdatum.", "slutdatum is before startdatum.");
            else if (e > period.LastDay)
                Error("end_after_period", "slutdatum", e.ToString("yyyy-MM-dd"),
                    $"slutdatum ligger efter leveransmånadens slut ({period.LastDay:yyyy-MM-dd}).",
                    $"slutdatum is after the end of the landing month ({period.LastDay:yyyy-MM-dd}).");
            else if (e < period.FirstDay)
                Error("end_before_period", "slutdatum", e.ToString("yyyy-MM-dd"),
                    $"slutdatum ligger före leveransmånaden {period}; registreringen var inte aktiv i månaden.",
                    $"slutdatum is before the landing month {period}; the registration was not active in the month.");
        }
    }
}
