using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;

namespace Finsam.Pipeline.Tests.Sie;

/// <summary>Files over 2 MB are read in parts in parallel; the result must be the same as reading them whole.</summary>
public class LargeSieFileTests
{
    /// <param name="headerBreak">How the header's lines end; the vouchers' end with \n (a file is split only before a "\n#VER").</param>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")] // a lone \r ends a line too: the parts after the first once started as many lines too low as the header has
    public void A_large_file_is_read_in_parts_with_the_right_lines_and_one_warning_per_unknown_record(string headerBreak)
    {
        var lines = Support.Sie.Header().Split('\n').ToList();
        lines.Add("#FOOBAR early");
        var header = lines.Count;
        var unbalancedLine = 0;
        for (var v = 1; v <= 40_000; v++)
        {
            if (v == 39_000) lines.Add("#FOOBAR late");
            lines.Add($"#VER A {v} 20250115 \"Faktura {v}\" 20250115");
            if (v == 39_999) unbalancedLine = lines.Count;
            lines.Add("{");
            lines.Add($"   #TRANS 4010 {{1 \"MT\"}} {v}.25 20250115 \"Mottagningsteam\"");
            lines.Add($"   #TRANS 2440 {{}} -{v}.{(v == 39_999 ? "24" : "25")}");
            lines.Add("}");
        }
        var text = string.Join(headerBreak, lines.Take(header)) + headerBreak + string.Join("\n", lines.Skip(header)) + "\n";
        var bytes = Finsam.Pipeline.Sie.SieParser.Codepage437.GetBytes(text);
        Assert.True(bytes.Length > 2 << 20);

        var file = FileValidator.Validate(bytes, new Period(2025, 1), null);

        Assert.Equal(40_000, file.Ledger!.Vouchers.Count);
        Assert.Equal(Enumerable.Range(1, 40_000).Select(v => v.ToString()), file.Ledger.Vouchers.Select(v => v.Number));
        Assert.Equal(80_000, file.RowCount);
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("#FOOBAR", 9), (warning.Value, warning.Line));
        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("voucher_unbalanced", unbalancedLine, "0.01"), (error.Code, error.Line, error.Value));
        var last = file.Ledger.Vouchers[^1];
        Assert.Equal(lines.Count - 1, last.Transactions[1].Line); // the line before the closing brace
        Assert.Equal(-40_000.25m, last.Transactions[1].Amount);
    }
}
