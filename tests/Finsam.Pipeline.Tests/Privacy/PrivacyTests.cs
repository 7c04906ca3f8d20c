using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Privacy;

public class PrivacyTests
{
    private static readonly DateOnly Reference = new(2025, 3, 31);

    [Fact]
    public void Ten_and_twelve_digit_forms_normalise_to_the_same_number()
    {
        var twelve = TestPersons.Number(1990, 1, 1, 238);

        var forms = new[] { twelve, TestPersons.Compact(twelve), TestPersons.Short(twelve), TestPersons.Short(twelve).Replace("-", "") }
            .Select(f => PersonalIdentityNumber.TryParse(f, Reference, out var n, out _, out _) ? n.Normalized : "invalid");

        Assert.All(forms, f => Assert.Equal(TestPersons.Compact(twelve), f));
    }

    [Fact]
    public void Plus_sign_means_a_hundred_years_or_older()
    {
        var number = TestPersons.Short(TestPersons.Number(1920, 5, 5, 123)).Replace('-', '+');

        Assert.True(PersonalIdentityNumber.TryParse(number, Reference, out var n, out _, out _));
        Assert.Equal(1920, n.BirthYear);
    }

    [Fact]
    public void Ten_digits_get_the_latest_century_not_in_the_future()
    {
        Assert.True(PersonalIdentityNumber.TryParse(TestPersons.Short(TestPersons.Number(2005, 6, 1, 111)), Reference, out var young, out _, out _));
        Assert.True(PersonalIdentityNumber.TryParse(TestPersons.Short(TestPersons.Number(1960, 6, 1, 111)), Reference, out var old, out _, out _));

        Assert.Equal((2005, 1960), (young.BirthYear, old.BirthYear));
    }

    [Theory]
    [InlineData("19900230-1234", "the date of birth does not exist")]
    [InlineData("1990010-12345", "not 10 or 12 digits (yyyyMMdd-NNNN or yyMMdd-NNNN)")]
    [InlineData("20300101-0000", "the date of birth is in the future")]
    public void Invalid_numbers_say_why(string input, string why)
    {
        Assert.False(PersonalIdentityNumber.TryParse(input, Reference, out _, out var en, out _));
        Assert.Equal(why, en);
    }

    [Theory]
    [InlineData("19900101-2389", "19900101-****")]
    [InlineData("900101-2389", "900101-****")]
    [InlineData("199001012389", "19900101-****")]
    [InlineData("12", "****")]
    public void Masking_keeps_the_date_part_only(string input, string masked) =>
        Assert.Equal(masked, PersonalIdentityNumber.Mask(input));

    [Fact]
    public void Parsed_numbers_print_masked()
    {
        PersonalIdentityNumber.TryParse(TestPersons.Number(1990, 1, 1, 238), Reference, out var n, out _, out _);

        Assert.Equal("19900101-****", n.ToString());
    }

    [Fact]
    public void Pseudonym_is_keyed_hmac_sha256_and_the_same_for_every_form()
    {
        var twelve = TestPersons.Number(1990, 1, 1, 238);
        PersonalIdentityNumber.TryParse(twelve, Reference, out var a, out _, out _);
        PersonalIdentityNumber.TryParse(TestPersons.Short(twelve), Reference, out var b, out _, out _);
        var pseudonymizer = new Pseudonymizer(TestPersons.Key);

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(TestPersons.Key, System.Text.Encoding.ASCII.GetBytes(TestPersons.Compact(twelve))));
        Assert.Equal(expected, pseudonymizer.Pseudonymize(a));
        Assert.Equal(expected, pseudonymizer.Pseudonymize(b));
        Assert.NotEqual(expected, new Pseudonymizer(Enumerable.Repeat((byte)7, 32).ToArray()).Pseudonymize(a));
    }

    [Fact]
    public void Keys_shorter_than_32_bytes_or_missing_are_refused()
    {
        Assert.Throws<PseudonymKeyException>(() => new Pseudonymizer(new byte[31]));
        Assert.Throws<PseudonymKeyException>(() => Pseudonymizer.FromBase64(null));
        Assert.Throws<PseudonymKeyException>(() => Pseudonymizer.FromBase64("not base64!"));
        var e = Assert.Throws<PseudonymKeyException>(() => Pseudonymizer.FromBase64(Convert.ToBase64String(new byte[16])));
        Assert.StartsWith("The pseudonymisation key is 16 bytes; at least 32 are required. Set Finsam__Privacy__PseudonymKey (or FINSAM_PSEUDONYM_KEY)", e.Message);
    }

    [Theory]
    [InlineData("Resa för 19850312-2383 igen", "Resa för [personnummer] igen", 1)]
    [InlineData("850312-2383 och 8503122383 och 850312+2383", "[personnummer] och [personnummer] och [personnummer]", 3)]
    [InlineData("Samordningsnr 19850372-1234", "Samordningsnr [personnummer]", 1)]
    [InlineData("Org 222000-0018, faktura 2025031234567, belopp 1200", "Org 222000-0018, faktura 2025031234567, belopp 1200", 0)]
    [InlineData("", "", 0)]
    public void Free_text_masking(string text, string masked, int count) =>
        Assert.Equal((masked, count), FreeTextMasker.Mask(text));

    private const string ParticipantHeader = "registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak";

    /// <summary>Identifiers are kept as they are (an intervention's id reaches the members' files): one that is an identity number is an error.</summary>
    [Fact]
    public void An_identity_number_used_as_an_identifier_or_code_is_an_error_not_kept()
    {
        var person = TestPersons.Number(1990, 1, 1, 238);
        var other = TestPersons.Number(1985, 6, 15, 987);
        var march = new Period(2025, 3);
        var participants = FileValidator.Validate(Csv.Utf8($"""
            {ParticipantHeader}
            {person};{other};nej;K;;9901;MT;Mottagningsteam;individ;2025-03-02;;;;;
            R2;;ja;K;;;MT-{TestPersons.Short(other)};Mottagningsteam;individ;2025-03-02;;;;;
            """), march, null);
        var volumes = FileValidator.Validate(Csv.Utf8($"insats_id;insats_typ;manad;kon;antal\nMT {TestPersons.Compact(person)};individ;2025-03;K;4\n"), march, null);
        var csvLedger = FileValidator.Validate(Csv.Utf8($"""
            verifikation;datum;konto;belopp;objekt;text
            {TestPersons.Short(person)};2025-03-02;6110;10,00;9:{TestPersons.Short(other).Replace("-", "")};
            {TestPersons.Short(person)};2025-03-02;1930;-10,00;;
            """), march, null);
        var sie = FileValidator.Validate(Support.Sie.File($$"""
            #VER A {{TestPersons.Compact(person)[2..]}} 20250305 "Resa" 20250305
            {
               #TRANS 6110 {9 "{{TestPersons.Compact(other)}}"} 10.00
               #TRANS 1930 {} -10.00
            }
            """), march, "222000-0018");

        Assert.Equal([("registrering_id", 2), ("insats_id", 3)], Identifiers(participants));
        Assert.Equal([("insats_id", 2)], Identifiers(volumes));
        Assert.Equal([("verifikation", 2), ("objekt", 2)], Identifiers(csvLedger));
        Assert.Equal([("#VER vernr", 9), ("#TRANS objektlista", 11)], Identifiers(sie));
        foreach (var file in new[] { participants, volumes, csvLedger, sie })
        {
            Assert.False(file.IsValid);
            Assert.DoesNotContain(file.Report.Issues, i => (i.Value ?? "").Contains(TestPersons.Compact(person)[2..^4]) || (i.Value ?? "").Contains(TestPersons.Compact(other)[2..^4]));
        }

        static List<(string?, int)> Identifiers(ValidatedFile file) =>
            file.Report.Errors.Where(e => e.Code == "personnummer_in_identifier").Select(e => (e.Column, e.Line ?? 0)).ToList();
    }

    [Fact]
    public void Ids_numbered_by_a_recent_date_and_a_running_number_are_kept()
    {
        // A registration system that numbers by date: 250305-0001 … 0012 and 20250305-0001 … 0012 are shaped like identity
        // numbers, and 0003 and 0011 even have a valid check digit; but whoever was born on 5 March 2025 is no participant.
        var rows = Enumerable.Range(1, 12).Select(n =>
            $"2503050{n:000};;ja;K;;;202503050{n:000};Mottagningsteam;individ;2025-03-02;;;;;");
        var file = FileValidator.Validate(Csv.Utf8($"{ParticipantHeader}\n{string.Join("\n", rows)}\n"), new Period(2025, 3), null);

        Assert.DoesNotContain(file.Report.Errors, e => e.Code == "personnummer_in_identifier");
        Assert.Equal(12, file.Participants!.Registrations.Count);
        Assert.Equal("2503050003", file.Participants.Registrations[2].RegistreringId);
        // The same shape with an adult's birth date and a valid check digit is an identity number.
        Assert.True(FreeTextMasker.ContainsCheckedNumber(TestPersons.Short(TestPersons.Number(1990, 1, 1, 238)), new DateOnly(2025, 3, 1)));
        Assert.False(FreeTextMasker.ContainsCheckedNumber("2503050003", new DateOnly(2025, 3, 1)));
        Assert.False(FreeTextMasker.ContainsCheckedNumber("202503050011", new DateOnly(2025, 3, 1)));
    }

    [Fact]
    public void A_voucher_number_that_is_a_date_and_a_running_number_is_no_identity_number()
    {
        // 2025-03-05, number 0001: shaped like one, but without a valid check digit it is taken for what it is.
        var file = FileValidator.Validate(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            202503050001;2025-03-05;6110;10,00;;
            202503050001;2025-03-05;1930;-10,00;;
            """), new Period(2025, 3), null);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
    }
}
