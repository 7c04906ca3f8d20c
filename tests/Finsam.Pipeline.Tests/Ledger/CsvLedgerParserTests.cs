using System.Text;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Ledger;

public class CsvLedgerParserTests
{
    private static readonly Period March = new(2025, 3);

    [Fact]
    public void Semicolons_decimal_comma_and_utf8_bom()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            B201;2025-03-05;1930;400000,00;;Medelstilldelning
            B201;2025-03-05;3010;-200000,00;;Försäkringskassan
            B201;2025-03-05;3020;-200000,00;;Region
            B202;2025-03-10;4010;1234,5;1:MT|6:P12;Faktura
            B202;2025-03-10;2440;-1234,5;;Faktura
            """)).ToArray();

        var file = FileValidator.Validate(bytes, March, null);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal((FileKind.CsvLedger, "utf-8-bom"), (file.Kind, file.Encoding));
        Assert.Equal(2, file.Ledger!.Vouchers.Count);
        Assert.Equal(("B", "201"), (file.Ledger.Vouchers[0].Series, file.Ledger.Vouchers[0].Number));
        var t = file.Ledger.Vouchers[1].Transactions[0];
        Assert.Equal((1234.50m, "1:MT|6:P12", 5), (t.Amount, t.CostObjects, t.Line));
        Assert.Equal("Försäkringskassan", file.Ledger.Vouchers[0].Transactions[1].Text);
    }

    [Fact]
    public void Windows_1252_with_commas_and_decimal_point()
    {
        var text = """
            verifikation,datum,konto,belopp,objekt,text
            7,2025-03-02,6110,18000.00,,"Hyra Åkern, kvarter Ö"
            7,2025-03-02,1930,-18000.00,,Hyra
            """.Replace("\n", "\r\n");
        var bytes = Pipeline.Text.TextDecoding.Windows1252.GetBytes(text);

        var file = FileValidator.Validate(bytes, March, null);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal("windows-1252", file.Encoding);
        var voucher = Assert.Single(file.Ledger!.Vouchers);
        Assert.Equal(("", "7"), (voucher.Series, voucher.Number));
        Assert.Equal("Hyra Åkern, kvarter Ö", voucher.Transactions[0].Text);
        Assert.Equal(18000.00m, voucher.Transactions[0].Amount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_partly_utf8_and_partly_windows_1252_is_an_error_not_a_guess(bool bom)
    {
        // "Gåva" as UTF-8 on line 2, as Windows-1252 on line 3 (an export edited in another program): either reading changes text.
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : [])
            .Concat(Encoding.UTF8.GetBytes("verifikation;datum;konto;belopp;objekt;text\n7;2025-03-02;6110;100,00;;Gåva\n"))
            .Concat(Pipeline.Text.TextDecoding.Windows1252.GetBytes("7;2025-03-02;1930;-100,00;;Gåva från Åsa\n")).ToArray();

        var file = FileValidator.Validate(bytes, March, null);

        Assert.False(file.IsValid);
        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("encoding_mixed", 3, "text", "Gåva från Åsa"), (error.Code, error.Line, error.Column, error.Value));
        Assert.Contains("byte 0xE5", error.MessageEn);
    }

    [Fact]
    public void A_participant_file_partly_utf8_names_the_line_and_column_of_the_first_foreign_byte()
    {
        var bytes = Encoding.UTF8.GetBytes(
                "registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak\n" +
                "R1;;ja;K;;;MT;Mottagningsteam Väst;individ;2025-03-02;;;;;\n")
            .Concat(Pipeline.Text.TextDecoding.Windows1252.GetBytes("R2;;ja;M;;;MT;\"Coaching; Öst\";individ;2025-03-02;;;;;\n")).ToArray();

        var file = FileValidator.Validate(bytes, March, null);

        var error = Assert.Single(file.Report.Errors, e => e.Code == "encoding_mixed");
        Assert.Equal((3, "insats_namn", "\"Coaching; Öst\""), (error.Line, error.Column, error.Value));
    }

    [Fact]
    public void Opening_balance_rows_are_kept_apart_from_vouchers()
    {
        var file = FileValidator.Validate(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            IB;2025-01-01;1930;950000,00;;Ingående balans
            IB;2025-01-01;2010;-900000,00;;
            IB;2025-01-01;2440;-50000,00;;
            """), March, null);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Empty(file.Ledger!.Vouchers);
        Assert.Equal([("1930", 950000m), ("2010", -900000m), ("2440", -50000m)], file.Ledger.OpeningBalances.Select(b => (b.Account, b.Amount)));
    }

    [Fact]
    public void Opening_balances_must_be_dated_the_first_day_of_the_year_and_a_difference_from_zero_is_a_warning()
    {
        // Before last year's result is booked to equity the balances sum to minus that result: a warning naming the
        // difference, which counts as equity until booked (QualityRuleTests); a balance dated elsewhere is an error.
        var file = FileValidator.Validate(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            IB;2025-01-01;1930;950000,00;;
            IB;2025-03-01;2010;-900000,00;;
            """), March, null);

        Assert.Equal([("opening_balance_date", 3, "2025-03-01")], file.Report.Errors.Select(e => (e.Code, e.Line!.Value, e.Value!)));
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("opening_balance_unbalanced", 2, "50000.00"), (warning.Code, warning.Line!.Value, warning.Value!));
        Assert.Equal(
            "Opening balances add up to 50000.00, not 0.00. That is normally the previous year's result, not yet booked to equity; if it is not, " +
            "check the year's opening balance in the accounting system. The difference counts as equity (unbooked result) until an export books it.",
            warning.MessageEn);
    }

    [Fact]
    public void Unbalanced_voucher_names_its_first_line()
    {
        var file = FileValidator.Validate(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            A1;2025-03-05;1930;100,00;;
            A2;2025-03-05;1930;5,00;;
            A1;2025-03-05;3010;-99,00;;
            A2;2025-03-05;3010;-5,00;;
            """), March, null);

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("voucher_unbalanced", 2, "belopp", "1.00"), (error.Code, error.Line, error.Column, error.Value));
    }

    [Theory]
    [InlineData("1 234,50", "belopp")]
    [InlineData("12,345", "belopp")]
    [InlineData("abc", "belopp")]
    public void Amounts_that_would_need_coercion_are_rejected(string amount, string column)
    {
        var file = FileValidator.Validate(Csv.Utf8($"""
            verifikation;datum;konto;belopp;objekt;text
            A1;2025-03-05;1930;{amount};;
            """), March, null);

        var error = Assert.Single(file.Report.Errors, e => e.Code == "amount_invalid");
        Assert.Equal((2, column, amount), (error.Line, error.Column, error.Value));
    }

    [Theory]
    [InlineData("verifikation;datum;konto;belopp;objekt;text\n")]
    [InlineData("verifikation;datum;konto;belopp;objekt;text\n;;;;;\n;;;;;\n")]
    public void A_ledger_without_vouchers_or_opening_balances_would_empty_the_month_and_is_an_error(string text)
    {
        var csv = FileValidator.Validate(Csv.Utf8(text), March, null);
        var sie = FileValidator.Validate(Support.Sie.File(""), March, "222000-0018");
        var onlyBalances = FileValidator.Validate(Support.Sie.File("#IB 0 1930 100.00\n#IB 0 2010 -100.00"), March, "222000-0018");

        Assert.Equal("no_rows", Assert.Single(csv.Report.Errors).Code);
        Assert.Equal("no_rows", Assert.Single(sie.Report.Errors).Code);
        Assert.True(onlyBalances.IsValid, string.Join("\n", onlyBalances.Report.Issues));
    }

    [Fact]
    public void An_amount_too_large_says_how_large_an_amount_may_be()
    {
        // Two decimals and a decimal comma, as asked: what is wrong is its 16 digits before the comma.
        var file = FileValidator.Validate(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            A1;2025-03-05;1930;1234567890123456,00;;
            """), March, null);

        var error = Assert.Single(file.Report.Errors, e => e.Code == "amount_invalid");
        Assert.Contains("at most 15 digits before", error.MessageEn);
        Assert.Contains("högst 15 siffror före", error.MessageSv);
    }

    [Fact]
    public void Row_dated_outside_the_month_bad_date_and_bad_objects_are_errors()
    {
        var file = FileValidator.Validate(Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            A1;2025-04-01;1930;1,00;;
            A1;2025-04-01;3010;-1,00;;
            A2;2025-03-32;1930;1,00;;
            A3;2025-03-05;1930;1,00;MT;
            """), March, null);

        Assert.Equal(
            [("date_invalid", 4, "2025-03-32"), ("objects_invalid", 5, "MT"), ("voucher_outside_period", 2, "2025-04-01")],
            file.Report.Errors.Select(e => (e.Code, e.Line!.Value, e.Value!)));
        // Written as asked, but no day of the calendar: the message says so, not only the format.
        Assert.Equal("The date must be written YYYY-MM-DD. That date does not exist in the calendar.",
            file.Report.Errors.Single(e => e.Code == "date_invalid").MessageEn);
    }

    [Theory]
    [InlineData("2025-02-30", " That date does not exist in the calendar.")]
    [InlineData("20250230", " That date does not exist in the calendar.")]
    [InlineData("2025-13-01", " That date does not exist in the calendar.")]
    [InlineData("2025-2-3", "")]
    [InlineData("5 mars", "")]
    [InlineData("2025-02-28", "")]
    public void A_date_in_the_right_form_that_the_calendar_lacks_is_told_so(string text, string added) =>
        Assert.Equal(added, Pipeline.Text.CompactDate.NotInCalendar(text).En);
}
