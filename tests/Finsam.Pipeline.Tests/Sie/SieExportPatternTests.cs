using System.IO.Hashing;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Sie;

namespace Finsam.Pipeline.Tests.Sie;

/// <summary>
/// Record patterns real SIE 4 exports write, each written here from the SIE 4B specification ("SIE filformat", utgåva 4B,
/// 2008-09-30) and the lines quoted in the issue, not copied from a program's file: added and removed rows (#RTRANS, #BTRANS),
/// vouchers left without rows, opening balances before the previous year is closed, the fiscal year and the checksum.
/// </summary>
public class SieExportPatternTests
{
    private static readonly Period January = new(2025, 1);

    private static ValidatedFile Validate(string body, string? expectedOrgNr = "222000-0018") =>
        FileValidator.Validate(Support.Sie.File(body), January, expectedOrgNr);

    private static string Issues(ValidatedFile file) => string.Join("\n", file.Report.Issues);

    [Fact]
    public void An_added_row_whose_copy_has_no_signature_counts_once_and_the_voucher_balances()
    {
        // Fortnox: a row corrected from 3689.93 to 3732.00 on account 1911, the copy of the #RTRANS without its signature.
        var file = Validate("""
            #VER A 157 20250115 "Inbetalning" 20250116
            {
            #TRANS 1930 {} 3732.00 "" "" 0
            #TRANS 1930 {} -42.07 "" "" 0
            #TRANS 1930 {} 3689.93 "" "" 0
            #BTRANS 1911 {} -3689.93 "" "" 0 "signatur"
            #RTRANS 1911 {} -3732 "" "" 0 "signatur"
            #TRANS 1911 {} -3732 "" "" 0
            #TRANS 1911 {} -3647.86 "" "" 0
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        Assert.Empty(file.Report.Warnings);
        Assert.Equal([("1930", 3732.00m), ("1930", -42.07m), ("1930", 3689.93m), ("1911", -3732m), ("1911", -3647.86m)],
            file.Ledger!.Vouchers.Single().Transactions.Select(t => (t.Account, t.Amount)));
        Assert.Equal(15, file.Ledger.Vouchers.Single().Transactions[3].Line); // the #RTRANS line is the row's lineage
    }

    [Fact]
    public void An_added_row_whose_copy_has_the_voucher_date_and_fewer_fields_is_stored_once_and_the_income_is_right()
    {
        // BL Administration: the added rows are dated when they were added and signed; their copies carry the voucher's date and
        // stop after the text. Both vouchers balance either way, so counting the copies would store 4 rows and 500 kr too much income.
        var file = Validate("""
            #VER A 25 20250122 "Fsg" 20250326 "2 Signatur"
            {
            #TRANS 1930  {} 1000 20250122 ""
            #TRANS 3010  { "1" "1"} -1000 20250122 ""
            #RTRANS 1930  {} 500 20250326 "" "" "2 Signatur"
            #TRANS 1930  {} 500 20250122 ""
            #RTRANS 3010  { "1" "1"} -500 20250326 "" "" "2 Signatur"
            #TRANS 3010  { "1" "1"} -500 20250122 ""
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        var rows = file.Ledger!.Vouchers.Single().Transactions;
        Assert.Equal(4, rows.Count);
        Assert.Equal(-1500m, rows.Where(t => t.Account == "3010").Sum(t => t.Amount));
        Assert.Equal([("1930", "", 1000m), ("3010", "1:1", -1000m), ("1930", "", 500m), ("3010", "1:1", -500m)],
            rows.Select(t => (t.Account, t.CostObjects, t.Amount)));
        // The added row keeps its own date, as the #RTRANS states it.
        Assert.Equal(new DateOnly(2025, 3, 26), rows[2].Date);
    }

    [Fact]
    public void The_specifications_example_of_added_rows_reads_as_its_second_listing()
    {
        // SIE 4B, #RTRANS item 8: 1 200 kr of postage, corrected by three added rows, each with its copy.
        var file = Validate("""
            #VER "" "" 20250110 "Porto"
            {
                #TRANS 1910 { } -1200.00
                #TRANS 2640 { } 240.00
                #TRANS 6250 { } 960.00
                #RTRANS 1910 { } 200.00
                #TRANS 1910 { } 200.00
                #RTRANS 2640 { } -40.00
                #TRANS 2640 { } -40.00
                #RTRANS 6250 { } -160.00
                #TRANS 6250 { } -160.00
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal([-1200.00m, 240.00m, 960.00m, 200.00m, -40.00m, -160.00m], file.Ledger!.Vouchers.Single().Transactions.Select(t => t.Amount));
    }

    [Fact]
    public void An_added_row_without_its_copy_counts_once_with_a_warning_and_the_row_after_it_counts_on_its_own()
    {
        var file = Validate("""
            #VER A 3 20250110 "Rättad" 20250110
            {
               #TRANS 6110 {} 300.00
               #RTRANS 1930 {} -100.00 20250111 "tillagd" 0 "Anna"
               #TRANS 1930 {} -200.00
            }
            #VER A 4 20250110 "Rättad" 20250110
            {
               #TRANS 6110 {} 50.00
               #RTRANS 1930 {} -50.00 20250111 "tillagd" 0 "Anna"
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal([300.00m, -100.00m, -200.00m, 50.00m, -50.00m], file.Ledger!.Vouchers.SelectMany(v => v.Transactions).Select(t => t.Amount));
        // Said once for the file, on the first such row.
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("sie_rtrans_without_copy", 12, "#RTRANS", "1930 -100.00"), (warning.Code, warning.Line, warning.Column, warning.Value));
    }

    [Fact]
    public void Added_rows_whose_copies_come_after_all_of_them_count_once_and_the_income_is_right()
    {
        // Two added rows, then their two copies (with the object pairs in another order): the copies match the added rows
        // still waiting in the voucher, so 3010 has -1000 - 500 = -1500 of income, not -2000.
        var file = Validate("""
            #VER A 26 20250122 "Fsg" 20250326
            {
            #TRANS 1930 {} 1000
            #TRANS 3010 {1 "MT" 6 "P1"} -1000
            #RTRANS 1930 {} 500 20250326 "" "" "Signatur"
            #RTRANS 3010 {1 "MT" 6 "P1"} -500 20250326 "" "" "Signatur"
            #TRANS 1930 {} 500
            #TRANS 3010 {6 "P1" 1 "MT"} -500
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal([1000m, -1000m, 500m, -500m], file.Ledger!.Vouchers.Single().Transactions.Select(t => t.Amount));
        Assert.Equal(-1500m, file.Ledger.Vouchers.Single().Transactions.Where(t => t.Account == "3010").Sum(t => t.Amount));
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("sie_rtrans_copy_out_of_place", 15, "1930 500.00"), (warning.Code, warning.Line, warning.Value));
        Assert.StartsWith("The row is the copy of an added row (#RTRANS on line 13) but does not come right after it", warning.MessageEn);
    }

    [Fact]
    public void A_voucher_whose_rows_were_all_removed_and_one_exported_empty_are_warnings_that_book_nothing()
    {
        var file = Validate("""
            #VER A 8 20250110 "Varor" 20250114 "2 Signatur"
            {
            #BTRANS 1930 {} -1000 20250114 "" "" "2 Signatur"
            #BTRANS 4010 {} 1000 20250114 "" "" "2 Signatur"
            }
            #VER A 9 20250112 "Tom"
            {
            }
            #VER A 10 20250115 "Kvar" 20250115
            {
            #TRANS 4010 {} 10.00
            #TRANS 1930 {} -10.00
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal(2, file.Ledger!.TransactionCount);
        Assert.Equal(
            [
                ("voucher_empty", 9, "Voucher A 8 has no rows left: all 2 were removed (#BTRANS). It does not change the ledger."),
                ("voucher_empty", 14, "Voucher A 9 has no transactions. It does not change the ledger."),
            ],
            file.Report.Warnings.Select(w => (w.Code, w.Line!.Value, w.MessageEn)));
    }

    [Fact]
    public void A_file_of_nothing_but_empty_vouchers_would_empty_the_month_and_is_an_error()
    {
        var file = Validate("""
            #VER A 8 20250110 "Varor" 20250114
            {
            #BTRANS 1930 {} -1000
            #BTRANS 4010 {} 1000
            }
            """);

        Assert.Equal(["no_rows"], file.Report.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Opening_balances_summing_to_minus_last_years_result_are_accepted_with_a_warning_naming_it()
    {
        // January, before the closing: last year's profit of 12 500.50 (#RES -1: income -112 500.50, costs 100 000.00) is not
        // yet booked to equity, so the balances sum to 12 500.50.
        var file = Validate("""
            #IB 0 1930 262500.50
            #IB 0 2010 -200000.00
            #IB 0 2440 -50000.00
            #RES -1 3010 -112500.50
            #RES -1 5010 100000.00
            #VER A 1 20250110 "x" 20250110
            {
            #TRANS 4010 {} 10.00
            #TRANS 1930 {} -10.00
            }
            """);

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal(3, file.Ledger!.OpeningBalances.Count);
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("opening_balance_unbalanced", 9, "12500.50"), (warning.Code, warning.Line!.Value, warning.Value));
        Assert.Equal(
            "Opening balances add up to 12500.50, not 0.00. It is the previous year's result given by #RES -1 (12500.50 kr), not yet booked to equity. " +
            "The difference counts as equity (unbooked result) until an export books it.",
            warning.MessageEn);
    }

    [Fact]
    public void Opening_balances_whose_difference_is_not_the_result_the_file_states_are_an_error()
    {
        // The file says last year ended at 0 (#RES -1 sums to 0.00): a difference of 100.00 is no unbooked result.
        var file = Validate("""
            #IB 0 1930 1000.00
            #IB 0 2010 -900.00
            #RES -1 3010 -5000.00
            #RES -1 5010 5000.00
            """);

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("opening_balance_unbalanced", 9, "100.00"), (error.Code, error.Line!.Value, error.Value));
        Assert.Equal("Opening balances add up to 100.00, not 0.00, and the difference is not the previous year's result given by #RES -1 (0.00 kr). " +
            "Check the year's opening balance in the accounting system.", error.MessageEn);
    }

    [Fact]
    public void A_fiscal_year_that_is_not_the_calendar_year_is_refused_with_that_reason_alone()
    {
        var header = Support.Sie.Header().Replace("#RAR 0 20250101 20251231", "#RAR 0 20240701 20250630");
        var file = FileValidator.Validate(Support.Sie.Bytes(header + "\n#IB 0 1930 100.00\n#IB 0 2010 -100.00"), January, "222000-0018");

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("sie_fiscal_year", 8, "#RAR", "20240701 20250630"), (error.Code, error.Line, error.Column, error.Value));
        Assert.Equal(
            "The fiscal year given by #RAR 0 is 2024-07-01 to 2025-06-30, but a federation's fiscal year is the calendar year (1 January to 31 December). " +
            "Export from the right books, or correct the fiscal year in the accounting system.",
            error.MessageEn);
    }

    [Fact]
    public void A_landing_month_outside_the_calendar_fiscal_year_is_an_error_on_the_rar_line()
    {
        var file = FileValidator.Validate(Support.Sie.Bytes(Support.Sie.Header(year: 2024) + "\n#IB 0 1930 100.00\n#IB 0 2010 -100.00"), January, "222000-0018");

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("sie_fiscal_year", 8, "The landing month 2025-01 lies outside the fiscal year given by #RAR 0."), (error.Code, error.Line, error.MessageEn));
    }

    /// <summary>A file with a checksum, as SIE 4B chapter 10 lays it out: #KSUMMA after #FLAGGA, the checksum last.</summary>
    private static byte[] WithChecksum(string checksum, string extra = "", string program = "Test") => Support.Sie.Bytes($$"""
        #FLAGGA 0
        #KSUMMA
        #FORMAT PC8
        #SIETYP 4
        #PROGRAM "{{program}}" 1.0
        #ORGNR 222000-0018
        #RAR 0 20250101 20251231
        #VER A 1 20250115 "Kassa \"special\"" 20250115
        {
           #TRANS 6110	{1 "MT"} 100.00
           #TRANS 1930 {} -100.00 "" "Bank"
        }
        #KSUMMA {{checksum}}
        """ + extra);

    /// <summary>
    /// The same records as the specification counts them, written out by hand: labels and fields without the spaces and tabs
    /// between them, the quotes around them or the braces around lists and rows; \" as the quote alone; codepage 437.
    /// </summary>
    private static uint ChecksumOf(string program) => Crc32.HashToUInt32(SieParser.Codepage437.GetBytes(
        "#FORMATPC8" + "#SIETYP4" + $"#PROGRAM{program}1.0" + "#ORGNR222000-0018" + "#RAR02025010120251231" +
        "#VERA120250115Kassa \"special\"20250115" + "#TRANS61101MT100.00" + "#TRANS1930-100.00Bank"));

    private static readonly uint Checksum = ChecksumOf("Test");

    [Fact]
    public void A_checksum_that_matches_the_records_is_accepted()
    {
        var file = FileValidator.Validate(WithChecksum(Checksum.ToString()), January, "222000-0018");

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal(2, file.Ledger!.TransactionCount);
    }

    [Fact]
    public void A_checksum_that_does_not_match_means_the_file_was_edited_and_is_an_error()
    {
        var edited = Support.Sie.Bytes(SieParser.Codepage437.GetString(WithChecksum(Checksum.ToString())).Replace("6110\t{1 \"MT\"} 100.00", "6110\t{1 \"MT\"} 1000.00")
            .Replace("-100.00 \"\" \"Bank\"", "-1000.00 \"\" \"Bank\"").TrimEnd());

        var file = FileValidator.Validate(edited, January, "222000-0018");

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("sie_checksum", 13, "#KSUMMA", Checksum.ToString()), (error.Code, error.Line, error.Column, error.Value));
        Assert.StartsWith($"The file's checksum does not match: #KSUMMA states {Checksum}, its content gives ", error.MessageEn);
    }

    [Fact]
    public void A_checksum_written_as_a_signed_number_and_a_checksum_label_in_lower_case_are_read()
    {
        // A program name whose file has a checksum above 2^31, written as the same 32 bits in a signed number, as a writer
        // with a signed integer would print it.
        var program = Enumerable.Range(0, 64).Select(i => $"Test {i}").First(p => ChecksumOf(p) > int.MaxValue);
        var signed = unchecked((int)ChecksumOf(program)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lower = Support.Sie.Bytes(SieParser.Codepage437.GetString(WithChecksum(signed, program: program)).Replace("#KSUMMA", "#ksumma").TrimEnd());

        var file = FileValidator.Validate(lower, January, "222000-0018");

        Assert.StartsWith("-", signed);
        Assert.True(file.IsValid, Issues(file));
    }

    /// <summary>
    /// A file over 2 MB with a checksum is read whole (its parts cannot each check it): the label is looked for at every "#K"
    /// and "#k", so it is found in any case.
    /// </summary>
    [Theory]
    [InlineData("#KSUMMA")]
    [InlineData("#ksumma")]
    [InlineData("#kSumma")]
    public void A_large_file_with_a_checksum_in_any_case_is_read_whole_and_its_checksum_matches(string label)
    {
        var text = new System.Text.StringBuilder($"#FLAGGA 0\n{label}\n#FORMAT PC8\n#SIETYP 4\n#PROGRAM \"Test\" 1.0\n#ORGNR 222000-0018\n#RAR 0 20250101 20251231\n");
        var crc = new Crc32();
        crc.Append(SieParser.Codepage437.GetBytes("#FORMATPC8#SIETYP4#PROGRAMTest1.0#ORGNR222000-0018#RAR02025010120251231"));
        for (var v = 1; v <= 40_000; v++)
        {
            text.Append($"#VER A {v} 20250115 \"Faktura\" 20250115\n{{\n   #TRANS 6110 {{}} {v}.00\n   #TRANS 1930 {{}} -{v}.00\n}}\n");
            crc.Append(SieParser.Codepage437.GetBytes($"#VERA{v}20250115Faktura20250115#TRANS6110{v}.00#TRANS1930-{v}.00"));
        }
        text.Append($"{label} {crc.GetCurrentHashAsUInt32()}\n");
        var bytes = SieParser.Codepage437.GetBytes(text.ToString());
        Assert.True(bytes.Length > 2 << 20);

        var file = FileValidator.Validate(bytes, January, "222000-0018");

        Assert.True(file.IsValid, Issues(file));
        Assert.Equal(80_000, file.Ledger!.TransactionCount);
    }

    [Fact]
    public void A_file_cut_before_its_checksum_and_a_record_after_it_are_errors()
    {
        var text = SieParser.Codepage437.GetString(WithChecksum(Checksum.ToString()));
        var cut = FileValidator.Validate(Support.Sie.Bytes(text[..text.IndexOf("#KSUMMA " + Checksum, StringComparison.Ordinal)].TrimEnd()), January, "222000-0018");
        var appended = FileValidator.Validate(WithChecksum(Checksum.ToString(), "\n#VER A 2 20250116 \"tillagd\"\n{\n#TRANS 6110 {} 5.00\n#TRANS 1930 {} -5.00\n}"),
            January, "222000-0018");

        Assert.Equal([("sie_checksum", 2)], cut.Report.Errors.Select(e => (e.Code, e.Line!.Value)));
        Assert.Equal([("sie_checksum", 14, "#VER")], appended.Report.Errors.Select(e => (e.Code, e.Line!.Value, e.Value!)));
    }

    [Fact]
    public void An_organisation_number_that_does_not_match_names_its_line_and_one_shaped_like_an_identity_number_says_why_it_is_not_shown()
    {
        var other = Validate("", expectedOrgNr: "222000-0026");
        var personal = FileValidator.Validate(Support.Sie.File("#IB 0 1930 100.00\n#IB 0 2010 -100.00", orgNr: "111111-1116"), January, "222000-0026");

        var error = Assert.Single(other.Report.Errors);
        Assert.Equal(("orgnr_mismatch", 7, "222000-0018"), (error.Code, error.Line, error.Value));
        Assert.Equal("The organisation number in the file, 222000-0018, does not match the federation's (222000-0026). Export from the federation's books.", error.MessageEn);
        var masked = Assert.Single(personal.Report.Errors);
        Assert.Equal(("orgnr_mismatch", 7, "[personnummer]"), (masked.Code, masked.Line, masked.Value));
        Assert.DoesNotContain("111111", masked.MessageEn + masked.MessageSv);
        Assert.StartsWith("The organisation number in the file is shaped like an identity number and is therefore not shown; it is not the federation's (222000-0026).", masked.MessageEn);
    }
}
