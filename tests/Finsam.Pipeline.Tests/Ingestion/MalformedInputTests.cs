using System.Text;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Ingestion;

/// <summary>Whatever bytes arrive, validation answers with a report; it never throws.</summary>
public class MalformedInputTests
{
    private static readonly string[] Seeds =
    [
        Encoding.Latin1.GetString(Support.Sie.File("""
            #VER A 1 20250110 "x" 20250110
            {
               #TRANS 6110 {1 "MT"} 10.00 20250110 "a \"b\""
               #RTRANS 1930 {} -10.00
               #TRANS 1930 {} -10.00
            }
            #IB 0 1930 5.00
            """)),
        "verifikation;datum;konto;belopp;objekt;text\nA1;2025-01-05;1930;10,00;1:MT|6:P12;\"x;y\"\nA1;2025-01-05;3010;-10,00;;\n",
        "registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak\n" +
        $"R1;{TestPersons.Number(1990, 1, 1, 238)};nej;K;;9901;MT;Mottagningsteam;individ;2025-01-10;2025-01-20;gymnasium;ingen|lon;lon;arbete\n",
        "insats_id;insats_typ;manad;kon;antal\nalfa-MT;individ;2025-01;K;4\nalfa-UTB;struktur;2025-01;M;12\n",
    ];

    private const string Alphabet = "#{}\"\\ \t\n\r;,|:-+.0123456789AZaz#VERTRANSIBåäö\0";

    [Fact]
    public void Random_mutations_of_valid_files_give_reports_not_exceptions()
    {
        var random = new Random(20251123);
        for (var round = 0; round < 3000; round++)
        {
            var chars = Seeds[round % Seeds.Length].ToCharArray().ToList();
            for (var m = random.Next(1, 8); m > 0; m--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: if (chars.Count > 1) chars.RemoveAt(at); break;
                }
            }
            var bytes = round % 2 == 0 ? Encoding.Latin1.GetBytes(chars.ToArray()) : Encoding.UTF8.GetBytes(chars.ToArray());

            var exception = Record.Exception(() => FileValidator.Validate(bytes, new Period(2025, 1), "222000-0018", new HashSet<string> { "alfa-MT" }));

            Assert.True(exception is null, $"round {round}: {exception}\n{new string(chars.ToArray())}");
        }
    }

    [Fact]
    public void Control_characters_in_a_csv_file_are_errors_naming_line_column_and_value()
    {
        var bytes = Csv.Utf8("insats_id;insats_typ;manad;kon;antal\nalfa-MT\0x;individ;2025-01;K;4\nalfa-\u001b[2JCT;struktur;2025-01;M;12\nalfa-UTB;individ;2025-01;K;1\n");

        var file = FileValidator.Validate(bytes, new Period(2025, 1), null);

        Assert.False(file.IsValid);
        Assert.Equal([("control_character", 2, "insats_id", "alfa-MT\\x00x"), ("control_character", 3, "insats_id", "alfa-\\x1B[2JCT")],
            file.Report.Errors.Select(e => (e.Code, e.Line ?? 0, e.Column, e.Value)));
    }

    [Fact]
    public void A_control_character_far_into_a_file_is_on_its_line_whatever_the_line_breaks_and_letters_before_it()
    {
        // The check looks first for the first byte worth a look (here the dash's 0xE2), then reads on from its line.
        var rows = string.Concat(Enumerable.Range(0, 3000).Select(i => $"alfa-{i};individ;2025-01;K;4" + (i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\r" : "\n")));
        var bytes = Csv.Utf8("insats_id;insats_typ;manad;kon;antal\r\n" + rows + "alfa-Å–é;individ;2025-01;K;1\r\n" + rows + "alfa-MT\u0007;individ;2025-01;K;4\n");

        var file = FileValidator.Validate(bytes, new Period(2025, 1), null);

        var error = Assert.Single(file.Report.Errors, e => e.Code == "control_character");
        Assert.Equal((2 + 3000 + 1 + 3000, "insats_id", "alfa-MT\\x07"), (error.Line ?? 0, error.Column, error.Value));
    }

    [Fact]
    public void Invisible_direction_overrides_and_c1_controls_in_a_csv_file_are_errors_but_letters_are_not()
    {
        // "alfa-\u202ETM" shows as "alfa-MT" reversed in a report; U+0085 is a C1 control. Å, ä, ö, é and – stay letters.
        var bytes = Csv.Utf8("insats_id;insats_typ;manad;kon;antal\nalfa-\u202ETM;individ;2025-01;K;4\nalfa-\u0085CT;struktur;2025-01;M;12\nalfa-Åäö–é;individ;2025-01;K;1\n");

        var file = FileValidator.Validate(bytes, new Period(2025, 1), null);

        Assert.Equal([("control_character", 2, "insats_id"), ("control_character", 3, "insats_id")],
            file.Report.Errors.Where(e => e.Code == "control_character").Select(e => (e.Code, e.Line ?? 0, e.Column)));
        Assert.Contains("U+202E", file.Report.Errors.First().MessageEn);
        Assert.Contains("U+0085", file.Report.Errors.Where(e => e.Code == "control_character").Last().MessageEn);
    }

    [Fact]
    public void Control_characters_in_a_sie_text_are_errors_naming_the_record()
    {
        var body = """
            #VER A 1 20250110 "Hyra" 20250110
            {
               #TRANS 6110 {} 10.00 20250110 "a{NUL}b"
               #TRANS 1930 {} -10.00
            }
            """.Replace("{NUL}", "\0");
        var bad = Support.Sie.File(body);
        var good = Support.Sie.File(body.Replace("\0", ""));

        var rejected = FileValidator.Validate(bad, new Period(2025, 1), "222000-0018");
        var accepted = FileValidator.Validate(good, new Period(2025, 1), "222000-0018");

        var error = Assert.Single(rejected.Report.Errors);
        Assert.Equal(("control_character", 11, "#TRANS"), (error.Code, error.Line, error.Column));
        Assert.StartsWith("#TRANS 6110 {} 10.00 20250110 \"a\\x00b\"", error.Value);
        Assert.True(accepted.IsValid, string.Join("\n", accepted.Report.Issues));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x0D, 0x0A, 0x20 })]
    public void An_empty_file_is_told_empty(byte[] bytes)
    {
        var error = Assert.Single(FileValidator.Validate(bytes, new Period(2025, 1), null).Report.Errors);

        Assert.Equal(("file_empty", $"{bytes.Length} bytes"), (error.Code, error.Value));
        Assert.StartsWith("The file is empty (or only white space)", error.MessageEn);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x23 })]
    [InlineData(new byte[] { 0x23 })]
    public void Empty_and_odd_files_are_rejected_with_a_reason(byte[] bytes)
    {
        var file = FileValidator.Validate(bytes, new Period(2025, 1), null);

        Assert.False(file.IsValid);
        Assert.NotEmpty(file.Report.Errors.First().MessageEn);
    }
}
