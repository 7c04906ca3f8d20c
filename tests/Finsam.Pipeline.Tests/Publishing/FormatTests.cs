using System.Text;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing.Formats;
using MiniExcelLibs;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>CSV for Swedish Excel and for tools, the workbook, and formula-injection neutralising.</summary>
public class FormatTests
{
    private static readonly QueryResult Table = new(
        ["kpi_id", "dimension", "value", "count", "suppressed"],
        ["VARCHAR", "VARCHAR", "DECIMAL(38,6)", "BIGINT", "BOOLEAN"],
        [
            ["kostnad_andel", "administration", 0.171250m, 12L, false],
            ["resultat", "=HYPERLINK(\"http://x\")", -1234.500000m, null, false],
            ["x", "+46 70", null, 3L, true],
            ["y", "-1", 1200000.000000m, 0L, false],
            ["z", "@SUM(A1)", 0.000000m, 7L, false],
            ["w", "a;b, \"c\"", 2.5m, 1L, false],
        ]);

    [Fact]
    public void Csv_for_swedish_excel_has_a_bom_semicolons_decimal_commas_neutralised_text_and_dots_for_a_suppressed_value()
    {
        var bytes = CsvExport.Write(Table, CsvExport.Dialect.SwedishExcel);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(""""
            kpi_id;dimension;value;count;suppressed
            kostnad_andel;administration;0,17125;12;false
            resultat;"'=HYPERLINK(""http://x"")";-1234,5;;false
            x;'+46 70;..;3;true
            y;'-1;1200000;0;false
            z;'@SUM(A1);0;7;false
            w;"a;b, ""c""";2,5;1;false

            """".Replace("\n", "\r\n"), Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public void Csv_for_tools_has_no_bom_commas_and_decimal_points()
    {
        var bytes = CsvExport.Write(Table, CsvExport.Dialect.Tools);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(""""
            kpi_id,dimension,value,count,suppressed
            kostnad_andel,administration,0.17125,12,false
            resultat,"'=HYPERLINK(""http://x"")",-1234.5,,false
            x,'+46 70,,3,true
            y,'-1,1200000,0,false
            z,'@SUM(A1),0,7,false
            w,"a;b, ""c""",2.5,1,false

            """".Replace("\n", "\r\n"), Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void The_workbook_is_byte_for_byte_the_same_for_the_same_content_and_reads_back()
    {
        var sheets = new[] { new ExcelWorkbook.Sheet("Ekonomi", ["Nyckeltal", "Dimension", "Värde"], Table.Rows.Select(r => new[] { r[0], r[1], r[2] }).ToList()) };
        var first = ExcelWorkbook.Write(sheets);
        var second = ExcelWorkbook.Write(sheets);
        Assert.Equal(first, second);

        var rows = new MemoryStream(first).Query(useHeaderRow: true, sheetName: "Ekonomi").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal("'=HYPERLINK(\"http://x\")", rows[1]["Dimension"]);
        Assert.Equal(-1234.5, rows[1]["Värde"]);
        Assert.Equal(0.17125, rows[0]["Värde"]);
        Assert.Null(rows[2]["Värde"]);
    }
}
