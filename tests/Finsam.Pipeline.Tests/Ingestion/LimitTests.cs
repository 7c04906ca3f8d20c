using System.Text.Json;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Tests.Ingestion;

/// <summary>
/// The longest line and field (Finsam__Limits__MaxLineLength, MaxFieldLength): over them is an error with line, column and the start
/// of the value, in every text format; at them is fine; a report full of errors stops the reading.
/// </summary>
public class LimitTests
{
    private static readonly Period January = new(2025, 1);
    private const string ParticipantHeader = "registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak";
    private static readonly string Anna = TestPersons.Number(1990, 1, 1, 238);
    private static readonly TextLimits Small = new(MaxLineLength: 256, MaxFieldLength: 128);

    private static string Participant(string id, string namn = "Mottagningsteam", string kommun = "9901") =>
        $"{id};{Anna};nej;K;;{kommun};MT;{namn};individ;2025-01-10;;gymnasium;forsorjningsstod;;";

    private static List<(string Code, int? Line, string? Column, string? Value)> Errors(ValidatedFile file) =>
        file.Report.Errors.Select(e => (e.Code, e.Line, e.Column, e.Value)).ToList();

    private static string Start(char c, string prefix = "") => (prefix + new string(c, 40))[..40] + "…";

    // Files with one line and one field over the default limits (100 000 and 10 000 characters), and good lines around them.

    private static byte[] SieOverLimits() => Support.Sie.File($$"""
        #KONTO 6110 "{{new string('y', 10_001)}}"
        #KONTO 1930 "{{new string('x', 100_000)}}"
        #VER A 1 20250115 "Hyra" 20250115
        {
           #TRANS 6110 {} 100.00
           #TRANS 1930 {} -100.00
        }
        """);

    private static byte[] CsvLedgerOverLimits() => Csv.Utf8($"""
        verifikation;datum;konto;belopp;objekt;text
        A1;2025-01-05;6110;100,00;;Hyra
        A2;2025-01-06;6110;5,00;;{new string('y', 10_001)}
        A3;2025-01-07;6110;5,00;;{new string('x', 100_000)}
        A1;2025-01-05;1930;-100,00;;Hyra
        """);

    private static byte[] ParticipantsOverLimits() => Csv.Utf8(string.Join("\n",
        ParticipantHeader, Participant("R1"), Participant("R2", namn: new string('y', 10_001)), Participant("R3", namn: new string('x', 100_000)), Participant("R4")));

    [Fact]
    public void A_SIE_file_with_a_line_and_a_field_over_the_limits_is_rejected_with_both()
    {
        var file = FileValidator.Validate(SieOverLimits(), January, "222000-0018");

        Assert.Equal([("field_too_long", 9, "#KONTO kontonamn", Start('y')), ("line_too_long", 10, null, "#KONTO 1930 \"xxxxxxxxxxxxxxxxxxxxxxxxxxx…")], Errors(file));
        var field = file.Report.Errors.First();
        Assert.Equal("The field is 10 001 characters long; the longest field accepted is 10 000 characters.", field.MessageEn);
        Assert.Equal("Fältet är 10 001 tecken långt; det längsta fält som tas emot är 10 000 tecken.", field.MessageSv);
        var line = file.Report.Errors.Last();
        Assert.StartsWith("The line is 100 014 characters long; the longest line accepted is 100 000 characters.", line.MessageEn);
        Assert.StartsWith("Raden är 100 014 tecken lång; den längsta rad som tas emot är 100 000 tecken.", line.MessageSv);
        // The lines after it keep their numbers.
        Assert.Equal([13, 14], file.Ledger!.Vouchers.Single().Transactions.Select(t => t.Line));
    }

    [Fact]
    public void A_CSV_ledger_with_a_line_and_a_field_over_the_limits_is_rejected_with_both()
    {
        var file = FileValidator.Validate(CsvLedgerOverLimits(), January, null);

        Assert.Equal([("field_too_long", 3, "text", Start('y')), ("line_too_long", 4, null, Start('x', "A3;2025-01-07;6110;5,00;;"))], Errors(file));
        Assert.Equal([2, 5], file.Ledger!.Vouchers.Single().Transactions.Select(t => t.Line));
    }

    [Fact]
    public void A_participant_file_with_a_line_and_a_field_over_the_limits_is_rejected_with_both()
    {
        var file = FileValidator.Validate(ParticipantsOverLimits(), January, null);

        Assert.Equal([("field_too_long", 3, "insats_namn", Start('y')), ("line_too_long", 4, null, "R3;[personnummer];nej;K;;9901;MT;xxxxxxx…")], Errors(file));
        Assert.Equal([(2, "R1"), (5, "R4")], file.Participants!.Registrations.Select(r => (r.Line, r.RegistreringId)));
    }

    [Fact]
    public void An_identity_number_in_an_over_long_value_is_masked_even_where_the_value_is_cut()
    {
        var text = new string('a', 30) + Anna + new string('b', 10_000);
        var file = FileValidator.Validate(Support.Sie.File($"#KONTO 6110 \"{text}\""), January, null);

        Assert.Equal(new string('a', 30) + "[personnum…", Assert.Single(file.Report.Errors).Value);
    }

    public static TheoryData<int, int, string?> AtAndOverTheLimits => new()
    {
        { 0, 0, null },
        { 1, 0, "field_too_long" },
        { 0, 1, "line_too_long" },
    };

    [Theory]
    [MemberData(nameof(AtAndOverTheLimits))]
    public void A_SIE_line_and_field_exactly_at_the_limits_pass(int fieldExtra, int lineExtra, string? expected)
    {
        foreach (var limits in new[] { Small, TextLimits.Default })
        {
            var line = $"#KONTO 6110 \"{new string('t', limits.MaxFieldLength + fieldExtra)}\"";
            line = line.PadRight(Math.Max(line.Length, limits.MaxLineLength + lineExtra)); // spaces after the last field
            var bytes = Support.Sie.File($"{line}\n#VER A 1 20250115 \"x\" 20250115\n{{\n   #TRANS 6110 {{}} 1.00\n   #TRANS 1930 {{}} -1.00\n}}");

            var file = FileValidator.Validate(bytes, January, null, limits: limits);

            Assert.Equal(expected is null ? [] : [(expected, 9)], file.Report.Errors.Select(e => (e.Code, e.Line!.Value)));
        }
    }

    [Theory]
    [MemberData(nameof(AtAndOverTheLimits))]
    public void A_CSV_ledger_line_and_field_exactly_at_the_limits_pass(int fieldExtra, int lineExtra, string? expected)
    {
        var text = new string('t', Small.MaxFieldLength + fieldExtra);
        var row = $"A1;2025-01-05;6110;0,00;;{text}";
        var belopp = "0,00".PadLeft(Small.MaxLineLength + lineExtra - row.Length + 4); // spaces before the amount, within its field
        var bytes = Csv.Utf8($"verifikation;datum;konto;belopp;objekt;text\nA1;2025-01-05;6110;{belopp};;{text}\n");

        var file = FileValidator.Validate(bytes, January, null, limits: Small);

        Assert.Equal(expected is null ? [] : [(expected, 2)], file.Report.Errors.Select(e => (e.Code, e.Line!.Value)));
    }

    [Theory]
    [MemberData(nameof(AtAndOverTheLimits))]
    public void A_participant_line_and_field_exactly_at_the_limits_pass(int fieldExtra, int lineExtra, string? expected)
    {
        var row = Participant("R1", namn: new string('t', Small.MaxFieldLength + fieldExtra));
        var kommun = "9901".PadLeft(Small.MaxLineLength + lineExtra - row.Length + 4);
        var bytes = Csv.Utf8($"{ParticipantHeader}\n{Participant("R1", namn: new string('t', Small.MaxFieldLength + fieldExtra), kommun: kommun)}\n");

        var file = FileValidator.Validate(bytes, January, null, limits: Small);

        Assert.Equal(expected is null ? [] : [(expected, 2)], file.Report.Errors.Select(e => (e.Code, e.Line!.Value)));
    }

    [Fact]
    public void Line_numbers_stay_right_after_an_over_long_line_whatever_the_line_ends()
    {
        var longLine = new string('x', 300);
        var text = $"a;b\r\n1;2\n{longLine}\r3;4\r\n{longLine}\r\n\r\n5;\"6\n7\"\r8;9";
        var over = new List<TextOverLimit>();

        var records = DelimitedText.Read(text, ';', 256, 128, over.Add).Select(r => (r.Line, string.Join('|', r.Fields))).ToList();

        Assert.Equal([(1, "a|b"), (2, "1|2"), (4, "3|4"), (7, "5|6\n7"), (9, "8|9")], records);
        Assert.Equal([(3, 300L), (5, 300L)], over.Select(o => (o.Line, o.Length!.Value)));
    }

    [Fact]
    public void A_quote_that_is_never_closed_stops_the_reading_at_the_field_it_opens()
    {
        var rows = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"A{i};2025-01-05;6110;1,00;;rad {i}\n"));
        var bytes = Csv.Utf8($"verifikation;datum;konto;belopp;objekt;text\nA1;2025-01-05;6110;1,00;;\"aldrig stängd\n{rows}");

        var file = FileValidator.Validate(bytes, January, null);

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("field_too_long", 2, "text"), (error.Code, error.Line, error.Column));
        Assert.StartsWith("\"aldrig stängd", error.Value);
        Assert.Equal("The field is longer than 10 000 characters, the longest field accepted (often a quote that is never closed).", error.MessageEn);
        Assert.Equal(2, file.Report.ReadStoppedAtLine);
    }

    [Fact]
    public void A_report_full_of_errors_stops_the_reading_and_says_so()
    {
        var body = string.Join("\n", Enumerable.Range(0, 1_500).Select(_ => "#TRANS 6110 {} 1.00"));
        var file = FileValidator.Validate(Support.Sie.File(body), January, null);

        Assert.Equal((1_000, 1_000, 1_008), (file.Report.ErrorCount, file.Report.Errors.Count(), file.Report.ReadStoppedAtLine));
        var rejection = RejectionReport.Create("x.se", "aspdalen/2025-01/x.se", "", "aspdalen", "2025-01", file.Kind, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, file.Report);
        Assert.Contains("Läsningen avbröts efter rad 1008; resten av filen lästes inte. / Reading stopped after line 1008; the rest of the file was not read.", rejection.ToText());
        using var json = JsonDocument.Parse(rejection.ToJson());
        Assert.Equal(1_008, json.RootElement.GetProperty("read_stopped_at_line").GetInt32());
    }

    [Fact]
    public void A_large_file_read_in_parts_stops_at_the_same_error_as_one_read_whole()
    {
        var lines = Support.Sie.Header().Split('\n').ToList();
        var thousandth = 0;
        for (var v = 1; v <= 40_000; v++)
        {
            lines.Add($"#VER A {v} 20250115 \"Faktura {v}\" 20250115");
            lines.Add("{");
            if (v % 20 == 0) lines.Add("   #TRANS 40X0 {} 1.00"); // every 20th voucher has an account that is not a number
            if (v == 20_000) thousandth = lines.Count;
            lines.Add($"   #TRANS 4010 {{1 \"MT\"}} {v}.25 20250115 \"Mottagningsteam\"");
            lines.Add($"   #TRANS 2440 {{}} -{v}.25");
            lines.Add("}");
        }
        var bytes = Support.Sie.Bytes(string.Join("\n", lines));
        Assert.True(bytes.Length > 2 << 20);

        var file = FileValidator.Validate(bytes, January, null);

        Assert.Equal((1_000, thousandth), (file.Report.ErrorCount, file.Report.ReadStoppedAtLine));
        Assert.All(file.Report.Errors, e => Assert.Equal("account_invalid", e.Code));
        Assert.Equal(thousandth, file.Report.Errors.Last().Line);
    }

    [Fact]
    public async Task Files_over_the_limits_are_quarantined_and_good_files_beside_them_go_through()
    {
        using var folder = new TempFolder();
        var store = new LocalFolderBlobStore(folder.Path);
        await Samples.SeedReferenceAsync(store);
        var files = new Dictionary<string, byte[]>
        {
            ["aspdalen/2025-01/good.se"] = Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"),
            ["aspdalen/2025-01/good.csv"] = Samples.File("aspdalen/2025-01/aspdalen_deltagare_202501.csv"),
            ["aspdalen/2025-01/long.se"] = SieOverLimits(),
            ["bjorkvik/2025-01/long_huvudbok.csv"] = CsvLedgerOverLimits(),
            ["bjorkvik/2025-01/long_deltagare.csv"] = ParticipantsOverLimits(),
        };
        foreach (var (name, bytes) in files) await store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);

        var summary = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();

        Assert.Equal(
            [("aspdalen/2025-01/good.csv", FileStatus.Accepted), ("aspdalen/2025-01/good.se", FileStatus.Accepted), ("aspdalen/2025-01/long.se", FileStatus.Rejected),
             ("bjorkvik/2025-01/long_deltagare.csv", FileStatus.Rejected), ("bjorkvik/2025-01/long_huvudbok.csv", FileStatus.Rejected)],
            summary.Files.Select(f => (f.LandingName, f.Status)));
        var reports = new List<(string, string, int?, string?)>();
        await foreach (var blob in store.ListAsync(Containers.Quarantine))
        {
            if (!blob.Name.EndsWith(".report.json")) continue;
            using var json = JsonDocument.Parse((await store.ReadAsync(Containers.Quarantine, blob.Name)).Bytes);
            foreach (var issue in json.RootElement.GetProperty("issues").EnumerateArray())
                reports.Add((json.RootElement.GetProperty("file").GetString()!, issue.GetProperty("code").GetString()!, issue.GetProperty("line").GetInt32(),
                    issue.TryGetProperty("column", out var column) ? column.GetString() : null));
        }
        Assert.Equal(
            [("long.se", "field_too_long", 9, "#KONTO kontonamn"), ("long.se", "line_too_long", 10, null),
             ("long_deltagare.csv", "field_too_long", 3, "insats_namn"), ("long_deltagare.csv", "line_too_long", 4, null),
             ("long_huvudbok.csv", "field_too_long", 3, "text"), ("long_huvudbok.csv", "line_too_long", 4, null)],
            reports.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item3));
    }

    [Fact]
    public async Task The_limits_come_from_the_settings()
    {
        using var folder = new TempFolder();
        var store = new LocalFolderBlobStore(folder.Path);
        await Samples.SeedReferenceAsync(store);
        var sie = Support.Sie.File($"#KONTO 6110 \"{new string('k', 300)}\"\n#VER A 1 20250115 \"x\" 20250115\n{{\n   #TRANS 6110 {{}} 1.00\n   #TRANS 1930 {{}} -1.00\n}}");
        await store.WriteAsync(Containers.Landing, "aspdalen/2025-01/a.se", sie, WriteCondition.Overwrite);
        var options = new FinsamOptions { Limits = { MaxLineLength = 256, MaxFieldLength = 200 } };

        var outcome = (await new IngestionService(store, new Pseudonymizer(TestPersons.Key), options: options).IngestAllAsync()).Files.Single();

        Assert.Equal(FileStatus.Rejected, outcome.Status);
        Assert.StartsWith("Rejected with 1 error(s); first: error line_too_long: line 9: The line is 314 characters long; the longest line accepted is 256 characters.", outcome.Message);
        Assert.True(FileValidator.Validate(sie, January, null).IsValid); // within the default limits
    }
}
