using System.Buffers;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Reference;
using Finsam.Pipeline.Sie;
using Finsam.Pipeline.Text;
using Finsam.Pipeline.Volumes;

namespace Finsam.Pipeline.Ingestion;

/// <summary>
/// Reads one file against the data contract for a federation and landing month. Used both by
/// ingestion and by `finsam validate`, so a federation sees exactly what the pipeline will say.
/// </summary>
public static class FileValidator
{
    /// <summary>
    /// What `finsam validate` runs on a file on disk: a file larger than <paramref name="maxFileBytes"/> is reported
    /// without being read, as ingestion would quarantine it; otherwise <see cref="Validate"/>. The report is the one the
    /// pipeline would write beside the file in quarantine.
    /// </summary>
    /// <param name="knownInsatser">The federation's interventions, for volume exports; null leaves that check out.</param>
    /// <param name="limits">The longest line and field; null: <see cref="TextLimits.Default"/>.</param>
    public static async Task<(ValidatedFile File, RejectionReport Report)> ValidateFileAsync(FileInfo file, string federationId, Period period, string? expectedOrgNr,
        long maxFileBytes, TimeProvider clock, IReadOnlySet<string>? knownInsatser = null, TextLimits? limits = null, CancellationToken ct = default)
    {
        ValidatedFile result;
        var sha = "";
        if (file.Length > maxFileBytes)
        {
            var report = new ValidationReport();
            report.Error("file_too_large", null, "size", $"{file.Length} bytes",
                $"Filen är större än {maxFileBytes} byte, den största fil som tas emot. Exportera en månad per fil.",
                $"The file is larger than {maxFileBytes} bytes, the largest file accepted. Export one month per file.");
            result = new ValidatedFile(FileKind.Unknown, null, report);
        }
        else
        {
            var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
            sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            result = Validate(bytes, period, expectedOrgNr, knownInsatser, limits);
        }
        var rejection = RejectionReport.Create(file.Name, $"{federationId}/{period}/{file.Name}", sha, federationId, period.ToString(), result.Kind,
            new DateTimeOffset(file.LastWriteTimeUtc), clock.GetUtcNow(), result.Report);
        return (result, rejection);
    }

    /// <param name="expectedOrgNr">The federation's organisation number; #ORGNR must match it when both are given.</param>
    /// <param name="knownInsatser">The federation's interventions from reference/insatser.csv: an intervention of a volume
    /// export that is not among them is a warning. Null leaves the check out.</param>
    /// <param name="limits">The longest line and field; null: <see cref="TextLimits.Default"/>.</param>
    public static ValidatedFile Validate(byte[] bytes, Period period, string? expectedOrgNr, IReadOnlySet<string>? knownInsatser = null, TextLimits? limits = null)
    {
        var report = new ValidationReport();
        var kind = FileKindDetector.Detect(bytes);
        switch (kind)
        {
            case FileKind.SieLedger:
            {
                CheckControlCharacters(bytes, report, csv: false);
                var (sieEncoding, sieBytes) = SieEncoding(bytes, report);
                var (ledger, header) = SieParser.Parse(sieBytes, period, report, limits, sieEncoding);
                CheckOrgNr(header, expectedOrgNr, report);
                CheckIdentifiers(ledger, period, sie: true, report);
                if (header.FiscalYearStart is null && ledger.OpeningBalances.Count > 0)
                    // Opening balances are dated the first day of the fiscal year: without #RAR 0 that day would be a guess.
                    report.Error("sie_fiscal_year_missing", ledger.OpeningBalances[0].Line, "#RAR", null,
                        "Filen har ingående balanser (#IB) men inget räkenskapsår (#RAR 0), så de kan inte dateras. Exportera SIE 4 igen med #RAR.",
                        "The file has opening balances (#IB) but no fiscal year (#RAR 0), so they cannot be dated. Export SIE 4 again with #RAR.");
                CheckNotEmpty(ledger, report);
                if (!report.ReadingStopped) LedgerRules.Check(ledger, period, report); // a ledger read in part has no rules to meet
                return new ValidatedFile(kind, sieEncoding.CodePage == 437 ? "cp437" : sieEncoding.WebName, report, Ledger: ledger, SieHeader: header);
            }
            case FileKind.CsvLedger:
            {
                var (encoding, name) = TextDecoding.Detect(bytes);
                CheckEncoding(bytes, report);
                CheckControlCharacters(bytes, report, csv: true);
                var ledger = CsvLedgerParser.Parse(new DelimitedSource(bytes, encoding), report, limits);
                CheckIdentifiers(ledger, period, sie: false, report);
                CheckNotEmpty(ledger, report);
                if (!report.ReadingStopped) LedgerRules.Check(ledger, period, report);
                return new ValidatedFile(kind, name, report, Ledger: ledger);
            }
            case FileKind.Participants:
            {
                var (encoding, name) = TextDecoding.Detect(bytes);
                CheckEncoding(bytes, report);
                CheckControlCharacters(bytes, report, csv: true);
                var participants = ParticipantParser.Parse(new DelimitedSource(bytes, encoding), period, report, limits);
                foreach (var r in participants.Registrations)
                {
                    CheckIdentifier(r.RegistreringId, r.Line, "registrering_id", period, report);
                    CheckIdentifier(r.InsatsId, r.Line, "insats_id", period, report);
                }
                return new ValidatedFile(kind, name, report, Participants: participants);
            }
            case FileKind.Volumes:
            {
                var (encoding, name) = TextDecoding.Detect(bytes);
                CheckEncoding(bytes, report);
                CheckControlCharacters(bytes, report, csv: true);
                var volumes = VolumeParser.Parse(new DelimitedSource(bytes, encoding), period, knownInsatser, report, limits);
                foreach (var v in volumes.Rows) CheckIdentifier(v.InsatsId, v.Line, "insats_id", period, report);
                return new ValidatedFile(kind, name, report, Volumes: volumes);
            }
            default:
                if (Utf8Bom.Strip(bytes).IndexOfAnyExcept(" \t\r\n"u8) < 0)
                {
                    report.Error("file_empty", null, null, $"{bytes.Length} bytes",
                        "Filen är tom (eller bara blanktecken); exporten avbröts eller misslyckades. Exportera den igen.",
                        "The file is empty (or only white space); the export was cut short or failed. Export it again.");
                    return new ValidatedFile(kind, null, report);
                }
                report.Error("file_kind_unknown", 1, null, null,
                    "Filen känns inte igen: den är varken en SIE 4-fil (börjar med #FLAGGA …) eller en CSV med rubrikraden " +
                    $"'{string.Join(';', CsvLedgerParser.Header)}' (huvudbok), '{string.Join(';', ParticipantCodes.Header)}' (deltagare) " +
                    $"eller '{string.Join(';', VolumeCodes.Header)}' (volymregistreringar).",
                    "The file is not recognised: it is neither a SIE 4 file (starting with #FLAGGA …) nor a CSV with the header " +
                    $"'{string.Join(';', CsvLedgerParser.Header)}' (ledger), '{string.Join(';', ParticipantCodes.Header)}' (participants) " +
                    $"or '{string.Join(';', VolumeCodes.Header)}' (volume registrations).");
                return new ValidatedFile(kind, null, report);
        }
    }

    /// <summary>A CSV file that is UTF-8 in part and another encoding in part would be read with some of its text changed: an error.</summary>
    private static void CheckEncoding(byte[] bytes, ValidationReport report)
    {
        if (TextDecoding.MixedEncoding(bytes) is not { } bad) return;
        var (column, value) = Locate(bytes, bad.LineStart, bad.Offset, csv: true);
        report.Error("encoding_mixed", bad.Line, column, value,
            $"Filen är delvis UTF-8 och delvis en annan teckenkodning (t.ex. Windows-1252): byte 0x{bytes[bad.Offset]:X2} på den här raden är inte UTF-8. " +
            "Filen kan inte läsas utan att text ändras. Spara den på nytt som CSV UTF-8.",
            $"The file is partly UTF-8 and partly another encoding (such as Windows-1252): byte 0x{bytes[bad.Offset]:X2} on this line is not UTF-8. " +
            "It cannot be read without changing some of its text. Save it again as CSV UTF-8.");
    }

    /// <summary>å ä ö Å Ä Ö é as codepage 437 writes them (searched for at once, vectorised).</summary>
    private static readonly SearchValues<byte> Cp437Letters = SearchValues.Create([0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82]);
    /// <summary>The same letters as Windows-1252 writes them (a SIE file in codepage 437 has none).</summary>
    private static readonly SearchValues<byte> Latin1Letters = SearchValues.Create([0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9]);

    /// <summary>
    /// SIE 4 is codepage 437 (#FORMAT PC8), but a file may come in UTF-8 or in Windows-1252/ISO 8859-1 (an export setting, or
    /// a file edited and saved again): read as codepage 437 its letters would change (Före as F├╢re or F÷re). Such a file is
    /// read in the encoding it is written in, with a warning naming the first line that shows it, as that encoding reads it.
    /// UTF-8: a BOM, or valid UTF-8 with a multi-byte sequence (no Swedish text in codepage 437 is). Windows-1252: å ä ö Å Ä Ö é
    /// as that encoding writes them (in codepage 437 σ Σ ÷ ┼ ─ ╓ Θ) and none as codepage 437 writes them.
    /// Returns the encoding to read with and the bytes to read (without a BOM).
    /// </summary>

    private static (System.Text.Encoding Encoding, byte[] Bytes) SieEncoding(byte[] bytes, ValidationReport report)
    {
        var body = bytes.AsSpan();
        var firstNonAscii = body.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        if (firstNonAscii < 0) return (SieParser.Codepage437, bytes);
        string name;
        System.Text.Encoding encoding;
        int at;
        var bom = body.StartsWith(Utf8Bom.Bytes);
        if (bom && TextDecoding.MixedEncoding(bytes) is { } bad)
        {
            // A UTF-8 mark, then bytes that are not UTF-8: no encoding reads it without changing some of its text.
            var (badColumn, badValue) = Locate(bytes, bad.LineStart, bad.Offset, csv: false, TextDecoding.Windows1252);
            report.Error("sie_encoding", bad.Line, badColumn, badValue,
                "Filen börjar som UTF-8 men har tecken som inte är UTF-8; den kan inte läsas utan att text ändras. Exportera SIE 4 igen med programmets standardinställning (PC8).",
                "The file starts as UTF-8 but has characters that are not UTF-8; it cannot be read without changing some of its text. Export SIE 4 again with the program's default settings (PC8).");
            return (SieParser.Codepage437, bytes);
        }
        if (bom || System.Text.Unicode.Utf8.IsValid(body))
        {
            (name, encoding, at) = ("UTF-8", new System.Text.UTF8Encoding(false), bom ? 0 : firstNonAscii);
        }
        else
        {
            at = body.IndexOfAny(Latin1Letters);
            if (at < 0 || body.IndexOfAny(Cp437Letters) >= 0) return (SieParser.Codepage437, bytes);
            (name, encoding) = ("Windows-1252 / ISO 8859-1", TextDecoding.Windows1252);
        }
        var (line, lineStart) = TextDecoding.LineAt(bytes, at);
        var (column, value) = Locate(bytes, lineStart, at, csv: false, encoding);
        report.Warning("sie_encoding", line, column, value,
            $"Filen är skriven i {name}, inte i teckentabell 437 (#FORMAT PC8) som SIE 4 föreskriver; den lästes som {name}. " +
            "Kontrollera att å, ä och ö ser rätt ut i rapporten, och exportera helst SIE 4 med programmets standardinställning.",
            $"The file is written in {name}, not in codepage 437 (#FORMAT PC8) as SIE 4 prescribes; it was read as {name}. " +
            "Check that å, ä and ö look right in the report, and preferably export SIE 4 with the program's default settings.");
        return (encoding, bom ? bytes[Utf8Bom.Bytes.Length..] : bytes);
    }

    /// <summary>Control characters reported at most; a binary file has them on every line.</summary>
    private const int MaxControlCharacterErrors = 100;

    /// <summary>
    /// A control character (NUL, ESC, a vertical tab, a DOS end-of-file mark …; not tab or line breaks) is no
    /// part of any export's text: it would pass into curated data, the members' CSV files and report as it is, so it is an error
    /// on its line and column. The same bytes in UTF-8, Windows-1252 and codepage 437.
    /// </summary>
    private static void CheckControlCharacters(byte[] bytes, ValidationReport report, bool csv)
    {
        // Most files have none: one vectorised search finds the first line worth a look, and the lines before it are skipped.
        var first = bytes.AsSpan().IndexOfAny(csv ? CsvSuspects : SieSuspects);
        if (first < 0) return;
        var end = bytes.Length;
        var (line, lineStart) = TextDecoding.LineAt(bytes, first);
        var reported = 0;
        var lastLineReported = 0;
        for (var i = lineStart; i < end; i++)
        {
            var b = bytes[i];
            // In a CSV file only: in codepage 437 (SIE) these bytes are letters and box characters.
            var invisible = csv && b is 0xC2 or 0xE2 ? Invisible(bytes, i) : 0;
            if ((b >= 0x20 && invisible == 0) || b == '\t') continue;
            if (b == '\n' || b == '\r')
            {
                if (b == '\r' && i + 1 < end && bytes[i + 1] == '\n') i++;
                line++;
                lineStart = i + 1;
                continue;
            }
            // An invisible control character written in UTF-8 is two or three bytes: the error points at its last.
            if (invisible > 0) i += b == 0xC2 ? 1 : 2;
            if (line == lastLineReported) continue; // one error per line
            lastLineReported = line;
            if (++reported > MaxControlCharacterErrors) break;
            var (column, value) = Locate(bytes, lineStart, i, csv);
            if (invisible > 0)
                // A C1 control (U+0080–U+009F) or a direction override (U+202A–U+202E, U+2066–U+2069), which makes a text
                // shown in a report read otherwise than it is stored.
                report.Error("control_character", line, column, value,
                    $"Raden innehåller det osynliga styrtecknet U+{invisible:X4}, som inte hör hemma i någon text (det kan få text att visas annorlunda än den är). Ta bort det och exportera igen.",
                    $"The line holds the invisible control character U+{invisible:X4}, which belongs in no text (it can make text show otherwise than it is). Remove it and export again.");
            else
                report.Error("control_character", line, column, value,
                    $"Raden innehåller styrtecknet 0x{b:X2}, som inte hör hemma i någon text. Filen är skadad eller ingen export från systemet; exportera den igen.",
                    $"The line holds the control character 0x{b:X2}, which belongs in no text. The file is damaged or not an export from the system; export it again.");
        }
    }

    /// <summary>Control characters but tab and line breaks: what <see cref="CheckControlCharacters"/> reports in a SIE file.</summary>
    private static readonly SearchValues<byte> SieSuspects = SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n' or '\r')).Select(b => (byte)b)]);

    /// <summary>The same, and in a CSV file the first byte of a C1 control or a direction override written in UTF-8.</summary>
    private static readonly SearchValues<byte> CsvSuspects = SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n' or '\r')).Select(b => (byte)b), 0xC2, 0xE2]);

    /// <summary>The code point of a C1 control or a direction override written in UTF-8 at this byte, else 0.</summary>
    private static int Invisible(byte[] bytes, int i)
    {
        if (bytes[i] == 0xC2 && i + 1 < bytes.Length && bytes[i + 1] is >= 0x80 and <= 0x9F) return bytes[i + 1];
        if (bytes[i] != 0xE2 || i + 2 >= bytes.Length) return 0;
        var code = 0x2000 + ((bytes[i + 1] & 0x3F) << 6) + (bytes[i + 2] & 0x3F);
        return bytes[i + 1] is 0x80 or 0x81 && bytes[i + 2] is >= 0x80 and <= 0xBF && code is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) ? code : 0;
    }

    /// <summary>
    /// The column a byte of a line is in and the value around it, for a report: in a CSV file the header's name for the field
    /// and the field; in a SIE file the record's label and the line's start. Read as Windows-1252 (CSV) or codepage 437 (SIE),
    /// one character per byte; control characters shown as \xNN.
    /// </summary>
    private static (string? Column, string Value) Locate(byte[] bytes, int lineStart, int offset, bool csv, System.Text.Encoding? encoding = null)
    {
        var text = encoding ?? (csv ? TextDecoding.Windows1252 : SieParser.Codepage437);
        var lineEnd = bytes.AsSpan(lineStart).IndexOfAny((byte)'\r', (byte)'\n');
        var line = text.GetString(bytes, lineStart, lineEnd < 0 ? bytes.Length - lineStart : lineEnd);
        var at = offset - lineStart;
        string? column;
        string value;
        if (csv)
        {
            var headerBytes = Utf8Bom.Strip(bytes);
            var headerEnd = headerBytes.IndexOfAny((byte)'\r', (byte)'\n');
            var header = text.GetString(headerEnd < 0 ? headerBytes : headerBytes[..headerEnd]);
            var delimiter = DelimitedText.DetectDelimiter(header);
            var field = 0;
            var fieldStart = 0;
            var quoted = false;
            for (var i = 0; i < at && i < line.Length; i++)
            {
                if (line[i] == '"') quoted = !quoted;
                else if (line[i] == delimiter && !quoted)
                {
                    field++;
                    fieldStart = i + 1;
                }
            }
            var fieldEnd = line.IndexOf(delimiter, Math.Min(at, line.Length));
            value = line[fieldStart..(fieldEnd < 0 ? line.Length : fieldEnd)];
            column = header.Split(delimiter).ElementAtOrDefault(field)?.Trim() ?? $"{field + 1}";
        }
        else
        {
            var label = line.TrimStart().Split(' ', '\t').FirstOrDefault() ?? "";
            column = label.StartsWith('#') ? label : null;
            value = line.Trim();
        }
        value = string.Concat(value.Select(c => c < ' ' && c != '\t' ? $"\\x{(int)c:X2}" : c.ToString()));
        return (column, TextLimits.Excerpt(value));
    }

    /// <summary>
    /// A ledger file replaces its month's ledger and opening balances: one with neither (a header alone, or rows that are all
    /// empty) would empty the month without a word, so it is an error, as a volume export without rows is.
    /// </summary>
    private static void CheckNotEmpty(ParsedLedger ledger, ValidationReport report)
    {
        // Vouchers without rows (all corrected away, or exported empty) are warnings, but a file of nothing else books nothing.
        if (ledger.Vouchers.Any(v => v.Transactions.Count > 0) || ledger.OpeningBalances.Count > 0 || report.HasErrors) return;
        report.Error("no_rows", null, null, null,
            "Filen har varken transaktioner eller ingående balanser; den skulle tömma månadens huvudbok. Kontrollera exportens urval (period, förbund) och exportera igen.",
            "The file has neither transactions nor opening balances; it would empty the month's ledger. Check the export's selection (period, federation) and export again.");
    }

    /// <summary>Identifiers and codes of a ledger that are kept as they are: voucher series and number, cost objects.</summary>
    private static void CheckIdentifiers(ParsedLedger ledger, Period period, bool sie, ValidationReport report)
    {
        foreach (var voucher in ledger.Vouchers)
        {
            CheckIdentifier(voucher.Series, voucher.Line, sie ? "#VER serie" : "verifikation", period, report);
            CheckIdentifier(voucher.Number, voucher.Line, sie ? "#VER vernr" : "verifikation", period, report);
            foreach (var t in voucher.Transactions) CheckIdentifier(t.CostObjects, t.Line, sie ? "#TRANS objektlista" : "objekt", period, report);
        }
    }

    /// <summary>
    /// An identifier or code is kept as it is in curated data (and an intervention's id reaches the members' files), so one
    /// that holds an identity number cannot be masked the way free text is: it is an error, its value masked in the report.
    /// Only a number with a valid check digit, of someone at least 15 in the file's month, counts
    /// (<see cref="FreeTextMasker.ContainsCheckedNumber"/>): ids numbered by a recent date and a running number are kept.
    /// </summary>
    private static void CheckIdentifier(string value, int line, string column, Period period, ValidationReport report)
    {
        if (!FreeTextMasker.ContainsCheckedNumber(value, new DateOnly(period.Year, period.Month, 1))) return;
        report.Error("personnummer_in_identifier", line, column, value,
            "Värdet ser ut som ett personnummer. Personnummer hör bara hemma i kolumnen personnummer, som ersätts med en pseudonym; " +
            "id och koder sparas som de är. Använd ett annat id.",
            "The value is shaped like an identity number (personnummer). Identity numbers belong only in the personnummer column, which " +
            "is replaced by a pseudonym; identifiers and codes are kept as they are. Use another identifier.");
    }

    /// <summary>
    /// #ORGNR must be the federation's. A number shaped like an identity number (a sole trader's books, or a test number such
    /// as 111111-1116) is not shown: the report masks it, and the message says why rather than showing "[personnummer]".
    /// </summary>
    private static void CheckOrgNr(SieHeader header, string? expectedOrgNr, ValidationReport report)
    {
        if (header.OrgNumber is null || expectedOrgNr is null) return;
        if (Federation.Digits(header.OrgNumber) == Federation.Digits(expectedOrgNr)) return;
        if (FreeTextMasker.MayContainNumber(header.OrgNumber) && FreeTextMasker.Mask(header.OrgNumber).Masked > 0)
            report.Error("orgnr_mismatch", header.OrgNumberLine, "#ORGNR", header.OrgNumber,
                $"Organisationsnumret i filen har formen av ett personnummer och visas därför inte; det är inte förbundets ({expectedOrgNr}). " +
                "Filen kommer från en annan bokföring (t.ex. en enskild firma). Exportera från förbundets bokföring.",
                $"The organisation number in the file is shaped like an identity number and is therefore not shown; it is not the federation's ({expectedOrgNr}). " +
                "The file comes from other books (a sole trader's, say). Export from the federation's books.");
        else
            report.Error("orgnr_mismatch", header.OrgNumberLine, "#ORGNR", header.OrgNumber,
                $"Organisationsnumret i filen, {header.OrgNumber}, stämmer inte med förbundets ({expectedOrgNr}). Exportera från förbundets bokföring.",
                $"The organisation number in the file, {header.OrgNumber}, does not match the federation's ({expectedOrgNr}). Export from the federation's books.");
    }
}
