using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Sie;

namespace Finsam.Pipeline.Tests.Sie;

public class SieParserTests
{
    private static readonly Period January = new(2025, 1);

    private static ValidatedFile Validate(string body, string? expectedOrgNr = "222000-0018") =>
        FileValidator.Validate(Support.Sie.File(body), January, expectedOrgNr);

    [Fact]
    public void An_amount_that_cannot_be_read_is_an_error_naming_its_record_field_and_line()
    {
        var file = Validate("""
            #IB 0 1930 12,50
            #UB 0 1930 x
            #RES 0 3010 1,5
            #VER A 1 20250110 "Hyra" 20250110
            {
               #TRANS 6110 {} 10.001 20250110
               #RTRANS 6110 {} 1e3 20250110
               #TRANS 1930 {} -10.00
            }
            """);

        var first = Support.Sie.Header().Split('\n').Length + 1; // the line of #IB, after the header's
        Assert.Equal([("#IB saldo", "12,50", first), ("#UB saldo", "x", first + 1), ("#RES saldo", "1,5", first + 2),
                      ("#TRANS belopp", "10.001", first + 5), ("#RTRANS belopp", "1e3", first + 6)],
            file.Report.Errors.Where(e => e.Code == "amount_invalid").Select(e => (e.Column, e.Value, e.Line)));
    }
    [Theory]
    [InlineData("utf-8", "UTF-8")]
    [InlineData("utf-8-bom", "UTF-8")]
    [InlineData("windows-1252", "Windows-1252 / ISO 8859-1")]
    public void A_sie_file_written_in_another_encoding_than_codepage_437_is_read_in_its_own_with_a_warning(string encoding, string named)
    {
        var text = Support.Sie.Header() + "\r\n" + """
            #VER A 1 20250115 "Hyra" 20250115
            {
               #TRANS 6110 {} 10.00 20250115 "Hyra Åkerö"
               #TRANS 1930 {} -10.00
            }
            """.Replace("\n", "\r\n") + "\r\n";
        var bytes = encoding switch
        {
            "utf-8" => System.Text.Encoding.UTF8.GetBytes(text),
            "utf-8-bom" => System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(text)).ToArray(),
            _ => Pipeline.Text.TextDecoding.Windows1252.GetBytes(text),
        };

        var file = FileValidator.Validate(bytes, January, "222000-0018");

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        var warning = Assert.Single(file.Report.Warnings, e => e.Code == "sie_encoding");
        Assert.Contains($"The file is written in {named}", warning.MessageEn);
        if (encoding == "utf-8-bom") Assert.Equal(1, warning.Line);
        else
        {
            // The first line with a letter outside ASCII (#FNAMN "Samordningsförbundet Test"), as that encoding reads it.
            Assert.Equal((6, "#FNAMN", "#FNAMN \"Samordningsförbundet Test\""), (warning.Line, warning.Column, warning.Value));
        }
        // Read in its own encoding: the letters are what was written.
        Assert.Equal("Samordningsförbundet Test", file.SieHeader!.CompanyName);
        Assert.Equal("Hyra Åkerö", Assert.Single(file.Ledger!.Vouchers).Transactions[0].Text);
        Assert.Equal(10.00m, file.Ledger.Vouchers[0].Transactions[0].Amount);
    }

    [Fact]
    public void A_sie_file_with_a_utf8_mark_and_bytes_that_are_not_utf8_is_an_error()
    {
        // Saved as UTF-8 by an editor, then a line added in Windows-1252: no encoding reads all of it right.
        var text = Support.Sie.Header() + "\r\n" + """
            #VER A 1 20250115 "Hyra" 20250115
            {
               #TRANS 6110 {} 10.00 20250115 "Hyra Åkerö"
               #TRANS 1930 {} -10.00
            }
            """.Replace("\n", "\r\n") + "\r\n";
        var lines = text.Replace("\r\n", "\n").Split("\n");
        // Lines 1-10 (the header with "Samordningsförbundet", the #VER and its brace) in UTF-8; from line 11 ("Hyra Åkerö") on, Windows-1252.
        var utf8 = System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", lines.Take(10)) + "\r\n");
        var latin = Pipeline.Text.TextDecoding.Windows1252.GetBytes(string.Join("\r\n", lines.Skip(10)));
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(utf8).Concat(latin).ToArray();

        var file = FileValidator.Validate(bytes, January, "222000-0018");

        var error = Assert.Single(file.Report.Errors, e => e.Code == "sie_encoding");
        Assert.Equal(11, error.Line);
        Assert.StartsWith("The file starts as UTF-8", error.MessageEn);
    }

    [Fact]
    public void Codepage_437_letters_survive_in_texts()
    {
        var file = Validate("""
            #VER A 1 20250115 "Hyra Åkerö" 20250115
            {
               #TRANS 6110 {} 100.00 20250115 "Lokal på Ängsvägen, Östra"
               #TRANS 1930 {} -100.00
            }
            """);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal("cp437", file.Encoding);
        var voucher = Assert.Single(file.Ledger!.Vouchers);
        Assert.Equal("Hyra Åkerö", voucher.Text);
        Assert.Equal("Lokal på Ängsvägen, Östra", voucher.Transactions[0].Text);
        Assert.Equal("Samordningsförbundet Test", file.SieHeader!.CompanyName);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Lines_end_with_crlf_lf_or_cr_and_a_line_may_be_longer_than_a_decode_block(string newline)
    {
        // The parser decodes blocks of 64 KiB of whole lines; this text alone is 109 999 characters.
        var longText = string.Concat(Enumerable.Repeat("Hyra Åkerö ", 10_000)).Trim();
        var text = Support.Sie.Header() + "\n" + $$"""
            #VER A 1 20250115 "Lång" 20250115
            {
               #TRANS 6110 {} 100.00 20250115 "{{longText}}"
               #TRANS 1930 {} -100.00
            }
            #VER A 2 20250116 "Kort" 20250116
            {
               #TRANS 6110 {} 5.00
               #TRANS 1930 {} -5.00
            }
            """;
        var bytes = SieParser.Codepage437.GetBytes(text.Replace("\r\n", "\n").Replace("\n", newline));

        // Limits above this line (the default ones reject it: LimitTests).
        var file = FileValidator.Validate(bytes, January, "222000-0018", limits: new TextLimits(MaxLineLength: 120_000, MaxFieldLength: 110_000));

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal(["1", "2"], file.Ledger!.Vouchers.Select(v => v.Number));
        Assert.Equal(longText, file.Ledger.Vouchers[0].Transactions[0].Text);
        Assert.Equal(109_999, longText.Length);
        Assert.Equal([-5.00m], file.Ledger.Vouchers[1].Transactions.Skip(1).Select(t => t.Amount));
        Assert.Equal(17, file.Ledger.Vouchers[1].Transactions[1].Line); // 8 header lines, then 9 body lines, whatever the line end
    }

    [Fact]
    public void Codepage_437_bytes_are_decoded_explicitly_not_as_utf8()
    {
        // 'å' is 0x86, 'ä' 0x84, 'ö' 0x94 in codepage 437.
        var bytes = Support.Sie.File("""
            #VER A 1 20250115 "x" 20250115
            {
               #TRANS 6110 {} 1.00 20250115 "åäö"
               #TRANS 1930 {} -1.00
            }
            """);
        Assert.True(bytes.AsSpan().IndexOf(new byte[] { 0x86, 0x84, 0x94 }) > 0);

        var file = FileValidator.Validate(bytes, January, null);

        Assert.Equal("åäö", file.Ledger!.Vouchers[0].Transactions[0].Text);
    }

    [Fact]
    public void Escaped_quotes_and_object_lists_are_read()
    {
        var file = Validate("""
            #VER A 7 20250120 "Projekt \"Vägen\" del 1" 20250120
            {
               #TRANS 4010 {1 "100" 6 "P12"} 1234.50 20250121 "Faktura \"ESF\""
               #TRANS 2440 {} -1234.50
            }
            """);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        var voucher = Assert.Single(file.Ledger!.Vouchers);
        Assert.Equal(("A", "7"), (voucher.Series, voucher.Number));
        Assert.Equal("Projekt \"Vägen\" del 1", voucher.Text);
        var t = voucher.Transactions[0];
        Assert.Equal("1:100|6:P12", t.CostObjects);
        Assert.Equal(1234.50m, t.Amount);
        Assert.Equal(new DateOnly(2025, 1, 21), t.Date);
        Assert.Equal("Faktura \"ESF\"", t.Text);
        Assert.Equal("", voucher.Transactions[1].CostObjects);
        Assert.Equal(new DateOnly(2025, 1, 20), voucher.Transactions[1].Date);
    }

    [Fact]
    public void Opening_balances_of_the_current_year_are_kept_with_the_fiscal_year()
    {
        var file = Validate("""
            #IB -1 1930 500.00
            #IB 0 1930 950000.00
            #IB 0 2010 -900000.00
            #IB 0 2440 -50000.00
            #UB 0 1930 960000.00
            #RES 0 3010 -200000.00
            """);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal(
            [("1930", 950000.00m), ("2010", -900000.00m), ("2440", -50000.00m)],
            file.Ledger!.OpeningBalances.Select(b => (b.Account, b.Amount)));
        Assert.All(file.Ledger.OpeningBalances, b => Assert.Equal(new DateOnly(2025, 1, 1), b.YearStart));
    }

    [Fact]
    public void Rtrans_is_counted_once_and_btrans_is_left_out()
    {
        var file = Validate("""
            #VER A 2 20250110 "Rättad" 20250110
            {
               #TRANS 6110 {} 300.00
               #BTRANS 6110 {} 200.00 20250110 "" 0 "Anna"
               #TRANS 1930 {} -200.00
               #RTRANS 1930 {} -100.00 20250111 "tillagd" 0 "Anna"
               #TRANS 1930 {} -100.00 20250111 "tillagd" 0 "Anna"
            }
            """);

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal([300.00m, -200.00m, -100.00m], file.Ledger!.Vouchers[0].Transactions.Select(t => t.Amount));
    }

    [Fact]
    public void Unbalanced_voucher_is_an_error_with_line_and_sum()
    {
        var file = Validate("""
            #VER A 3 20250110 "Obalans" 20250110
            {
               #TRANS 6110 {} 300.00
               #TRANS 1930 {} -299.99
            }
            """);

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal("voucher_unbalanced", error.Code);
        Assert.Equal(9, error.Line); // eight header lines, then the #VER
        Assert.Equal("0.01", error.Value);
        Assert.Contains("A 3", error.MessageEn);
    }

    [Fact]
    public void Voucher_dated_outside_the_landing_month_is_an_error()
    {
        var file = Validate("""
            #VER A 4 20250201 "Februari" 20250201
            {
               #TRANS 6110 {} 10.00
               #TRANS 1930 {} -10.00
            }
            """);

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal("voucher_outside_period", error.Code);
        Assert.Equal("2025-02-01", error.Value);
        Assert.Equal("Voucher A 4 is dated 2025-02-01, outside the landing month 2025-01.", error.MessageEn);
    }

    [Fact]
    public void Unknown_record_is_a_warning_that_does_not_block()
    {
        var file = Validate("""
            #FOOBAR 1 2 3
            #VER A 5 20250110 "ok" 20250110
            {
               #TRANS 6110 {} 10.00
               #TRANS 1930 {} -10.00
            }
            """);

        Assert.True(file.IsValid);
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("sie_unknown_record", 9, "#FOOBAR"), (warning.Code, warning.Line, warning.Value));
    }

    [Fact]
    public void Opening_balances_without_a_fiscal_year_are_an_error_not_dated_by_guess()
    {
        var header = Support.Sie.Header().Replace("#RAR 0 20250101 20251231", "#RAR -1 20240101 20241231");
        var withBalances = FileValidator.Validate(Support.Sie.Bytes(header + "\n#IB 0 1930 100.00\n#IB 0 2010 -100.00"), January, "222000-0018");
        var vouchersOnly = FileValidator.Validate(Support.Sie.Bytes(header + "\n#VER A 1 20250115 \"x\" 20250115\n{\n   #TRANS 6110 {} 1.00\n   #TRANS 1930 {} -1.00\n}"), January, "222000-0018");

        var error = Assert.Single(withBalances.Report.Errors);
        Assert.Equal(("sie_fiscal_year_missing", 9, "#RAR"), (error.Code, error.Line, error.Column));
        Assert.True(vouchersOnly.IsValid, string.Join("\n", vouchersOnly.Report.Issues));
    }

    [Fact]
    public void Organisation_numbers_compare_by_digits()
    {
        Assert.True(Validate("#IB 0 1930 100.00\n#IB 0 2010 -100.00", expectedOrgNr: "2220000018").IsValid);
    }

    [Theory]
    [InlineData("#TRANS 6110 {} 10,00", "amount_invalid")]
    [InlineData("#TRANS 6110 {} 10.005", "amount_invalid")]
    [InlineData("#TRANS 61A0 {} 10.00", "account_invalid")]
    [InlineData("#TRANS 6110 10.00", "sie_object_list")]
    [InlineData("#TRANS 6110 {1 \"100\" 6} 10.00", "sie_object_list")]
    [InlineData("#TRANS 6110 {1 \"100\"} 10.00 \"unterminated", "sie_syntax")]
    [InlineData("#TRANS 6110 {1 {2}} 10.00", "sie_syntax")]
    [InlineData("#TRANS 6110 {1 \"100\"}{} 10.00", "amount_invalid")]
    public void Malformed_transactions_are_errors_naming_the_line(string transaction, string code)
    {
        var file = Validate($$"""
            #VER A 6 20250110 "x" 20250110
            {
               {{transaction}}
               #TRANS 1930 {} -10.00
            }
            """);

        Assert.Contains(file.Report.Errors, e => e.Code == code && e.Line == 11);
    }

    [Fact]
    public void Missing_closing_brace_is_an_error()
    {
        var file = Validate("""
            #VER A 6 20250110 "x" 20250110
            {
               #TRANS 6110 {} 10.00
               #TRANS 1930 {} -10.00
            """);

        Assert.Contains(file.Report.Errors, e => e.Code == "sie_block_open" && e.Line == 10);
    }

    [Fact]
    public void Wrong_sie_type_and_format_are_errors()
    {
        var bytes = Support.Sie.Bytes("""
            #FLAGGA 0
            #FORMAT UTF8
            #SIETYP 2
            """);

        var file = FileValidator.Validate(bytes, January, null);

        Assert.Equal(["sie_format", "sie_type"], file.Report.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Personnummer_in_voucher_texts_is_masked_and_counted()
    {
        var file = Validate("""
            #VER A 8 20250110 "Resa 19850312-2383" 20250110
            {
               #TRANS 4010 {} 10.00 20250110 "Ersättning 850312-2383 och 198503122383"
               #TRANS 1930 {} -10.00
            }
            """);

        Assert.True(file.IsValid);
        Assert.Equal("Resa [personnummer]", file.Ledger!.Vouchers[0].Text);
        Assert.Equal("Ersättning [personnummer] och [personnummer]", file.Ledger.Vouchers[0].Transactions[0].Text);
        Assert.Equal(3, file.MaskedTextCount);
    }
}
