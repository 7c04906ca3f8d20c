using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Participants;

public class ParticipantParserTests
{
    private static readonly Period March = new(2025, 3);
    private const string Header = "registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak";
    private static readonly string Anna = TestPersons.Number(1990, 1, 1, 238);

    private static ValidatedFile Validate(params string[] rows) =>
        FileValidator.Validate(Csv.Utf8(string.Join("\n", [Header, .. rows])), March, null);

    private static string Row(string id = "R1", string? pnr = null, string anonym = "nej", string kon = "K", string fodelsear = "", string kommun = "9901",
        string start = "2025-01-10", string end = "", string utbildning = "gymnasium", string fore = "forsorjningsstod|aktivitetsstod", string efter = "",
        string exit = "", string namn = "Mottagningsteam") =>
        $"{id};{pnr ?? Anna};{anonym};{kon};{fodelsear};{kommun};MT;{namn};individ;{start};{end};{utbildning};{fore};{efter};{exit}";

    [Fact]
    public void A_valid_registration_is_read_with_every_field()
    {
        var file = Validate(Row(end: "2025-03-14", efter: "lon", exit: "arbete", fodelsear: "1990"));

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal(FileKind.Participants, file.Kind);
        var r = Assert.Single(file.Participants!.Registrations);
        Assert.Equal("199001012388"[..8], r.Person!.Value.Normalized[..8]);
        Assert.Equal((1990, "K", "9901", "MT", "individ"), (r.Fodelsear!.Value, r.Kon, r.Kommun, r.InsatsId, r.InsatsTyp));
        Assert.Equal((new DateOnly(2025, 1, 10), new DateOnly(2025, 3, 14)), (r.Startdatum, r.Slutdatum!.Value));
        Assert.Equal(("forsorjningsstod|aktivitetsstod", "lon", "arbete"), (r.ForsorjningFore, r.ForsorjningEfter, r.Avslutsorsak));
    }

    [Fact]
    public void Birth_year_is_derived_from_the_personnummer_when_not_given()
    {
        var file = Validate(Row(pnr: TestPersons.Short(Anna)));

        Assert.Equal(1990, Assert.Single(file.Participants!.Registrations).Fodelsear);
    }

    [Fact]
    public void Luhn_failure_is_an_error_and_the_number_is_masked_in_the_report()
    {
        var wrong = Anna[..^1] + (char)('0' + (Anna[^1] - '0' + 1) % 10);

        var file = Validate(Row(pnr: wrong));

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("personnummer_invalid", 2, "personnummer", "19900101-****"), (error.Code, error.Line, error.Column, error.Value));
        Assert.Equal("Invalid personnummer: the check digit is wrong (Luhn).", error.MessageEn);
        Assert.DoesNotContain(wrong, error.ToString());
    }

    [Fact]
    public void Samordningsnummer_is_accepted()
    {
        var coordination = TestPersons.Number(1988, 4, 12, 457, coordination: true); // day 72

        var file = Validate(Row(pnr: coordination));

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        var registration = Assert.Single(file.Participants!.Registrations);
        Assert.True(registration.Person!.Value.IsCoordinationNumber);
        Assert.Equal(new DateOnly(1988, 4, 12), registration.Person.Value.BirthDate);
        // Started 2025-01-10, before the 37th birthday on 12 April (the day is 72 − 60 = 12).
        Assert.Equal(36, registration.AlderStart);
    }

    [Theory]
    [InlineData(1995, 3, 14, "2025-03-13", 29)] // the day before the 30th birthday: 2025 − 1995 = 30 would be a group too old (30-44)
    [InlineData(1995, 3, 14, "2025-03-14", 30)] // the birthday itself
    [InlineData(2004, 2, 29, "2025-02-28", 20)] // born on leap day: not yet 21 on 28 February ...
    [InlineData(2004, 2, 29, "2025-03-01", 21)] // ... but on 1 March
    [InlineData(2010, 1, 1, "2025-01-01", 15)]  // under 16: outside the target group, still read
    public void Age_at_start_is_exact_from_the_date_of_birth(int year, int month, int day, string start, int age)
    {
        var file = Validate(Row(pnr: TestPersons.Number(year, month, day, 123), start: start));

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal(age, Assert.Single(file.Participants!.Registrations).AlderStart);
    }

    [Fact]
    public void A_start_before_the_date_of_birth_is_an_error()
    {
        var file = Validate(Row(pnr: TestPersons.Number(2025, 3, 2, 123), start: "2025-03-01"));

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("start_before_birth", 2, "startdatum", "2025-03-01"), (error.Code, error.Line!.Value, error.Column, error.Value));
        Assert.Equal("startdatum is before the date of birth in the personnummer.", error.MessageEn);
    }

    [Fact]
    public void Anonymous_rows_have_no_personnummer_and_only_gender_dates_and_intervention()
    {
        var file = Validate(
            Row(id: "A1", pnr: "", anonym: "ja", kommun: "", utbildning: "", fore: ""),
            Row(id: "A2", pnr: Anna, anonym: "ja", kommun: "", utbildning: "", fore: ""),
            Row(id: "A3", pnr: "", anonym: "ja", kommun: "", utbildning: "gymnasium", fore: ""),
            Row(id: "A4", pnr: "", anonym: "nej"));

        Assert.Equal(
            [("anonymous_with_personnummer", 3, "19900101-****"), ("anonymous_with_details", 4, "gymnasium"), ("personnummer_missing", 5, "")],
            file.Report.Errors.Select(e => (e.Code, e.Line!.Value, e.Value!)));
        var anonymous = Assert.Single(file.Participants!.Registrations);
        Assert.Equal(("A1", true, null, null), (anonymous.RegistreringId, anonymous.Anonym, anonymous.Person, anonymous.AlderStart));
    }

    [Fact]
    public void End_before_start_is_an_error()
    {
        var file = Validate(Row(start: "2025-03-10", end: "2025-03-09", exit: "arbete"));

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("end_before_start", "slutdatum", "2025-03-09"), (error.Code, error.Column, error.Value));
    }

    [Fact]
    public void Missing_avslutsorsak_when_ended_is_an_error()
    {
        var file = Validate(Row(end: "2025-03-09"));

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("exit_reason_missing", 2, "avslutsorsak"), (error.Code, error.Line, error.Column));
    }

    [Fact]
    public void Dates_must_fit_the_landing_month()
    {
        var file = Validate(
            Row(id: "R1", end: "2025-04-01", exit: "arbete"),
            Row(id: "R2", start: "2025-04-02"),
            Row(id: "R3", end: "2025-02-28", exit: "arbete"));

        Assert.Equal(["end_after_period", "start_after_period", "end_before_period"], file.Report.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Birth_year_must_agree_with_the_personnummer()
    {
        var file = Validate(Row(fodelsear: "1991"));

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("birth_year_mismatch", "1991"), (error.Code, error.Value));
    }

    [Theory]
    [InlineData("kon", "X")]
    [InlineData("kommun", "990")]
    [InlineData("utbildning", "universitet")]
    [InlineData("forsorjning_fore", "sjukpenning|bidrag")]
    [InlineData("avslutsorsak", "pension")]
    public void Codes_outside_the_contract_are_errors(string column, string value)
    {
        var row = column switch
        {
            "kon" => Row(kon: value),
            "kommun" => Row(kommun: value),
            "utbildning" => Row(utbildning: value),
            "forsorjning_fore" => Row(fore: value),
            _ => Row(end: "2025-03-01", exit: value),
        };

        var file = Validate(row);

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal((column, value), (error.Column, error.Value));
    }

    [Fact]
    public void Registration_ids_are_unique_within_the_file()
    {
        var file = Validate(Row(id: "R1"), Row(id: "R1"));

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("registration_duplicate", 3, "registrering_id already appears on line 2; it must be unique."), (error.Code, error.Line, error.MessageEn));
    }

    [Fact]
    public void Personnummer_in_intervention_names_is_masked()
    {
        var file = Validate(Row(namn: $"Stöd till {Anna}"));

        Assert.Equal("Stöd till [personnummer]", file.Participants!.Registrations[0].InsatsNamn);
        Assert.Equal(1, file.MaskedTextCount);
    }

    [Fact]
    public void Wrong_number_of_fields_is_an_error()
    {
        var file = Validate("R1;x;nej");

        Assert.Equal("column_count", Assert.Single(file.Report.Errors).Code);
    }
}
