using System.Text;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing.Formats;
using Finsam.Pipeline.Tests.Support;
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

    [Fact]
    public void The_workbook_is_valid_open_xml_with_standard_fills_and_reads_in_openpyxl_with_shares_as_percentages_and_money_as_kronor()
    {
        List<object?[]> rows =
        [
            ["andel_avslutade", 0.288961m, "andel", true],
            ["kostnad_total", 1234567.50m, "kr", false],
            ["deltagare", 430m, "antal", false],
            ["=HYPERLINK(\"http://x\")", null, "andel", true],
        ];
        var sheet = new ExcelWorkbook.Sheet("Deltagare", ["Nyckeltal", "Värde", "Enhet", "Skyddad"], rows,
            (row, column) => column != 1 ? ExcelWorkbook.NumberFormat.General : row[2] switch
            {
                "andel" => ExcelWorkbook.NumberFormat.Percent,
                "kr" => ExcelWorkbook.NumberFormat.Kronor,
                _ => ExcelWorkbook.NumberFormat.General,
            });
        var bytes = ExcelWorkbook.Write([sheet]);
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "nyckeltal.xlsx");
        File.WriteAllBytes(path, bytes);

        // The Open XML SDK's validator, against the Office 2019 schema.
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, isEditable: false))
        {
            var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(document)
                .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
            Assert.Empty(errors);
            var fills = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.Fills!.Elements<DocumentFormat.OpenXml.Spreadsheet.Fill>()
                .Select(f => f.PatternFill?.PatternType?.InnerText).ToList();
            Assert.Equal(["none", "gray125"], fills);
        }

        // A second, independent reader: openpyxl, which pandas.read_excel uses (Debian's python3-openpyxl, installed by test.sh).
        var read = Python($$"""
            import openpyxl
            sheet = openpyxl.load_workbook(r'{{path}}')['Deltagare']
            for row in sheet.iter_rows(min_row=1, max_row=5):
                print('|'.join('' if c.value is None else f'{c.value}#{c.number_format}' for c in row))
            """);
        Assert.Equal(
            [
                "Nyckeltal#General|Värde#General|Enhet#General|Skyddad#General",
                "andel_avslutade#General|0.288961#0.0%|andel#General|True#General",
                "kostnad_total#General|1234567.5##,##0\\ \"kr\"|kr#General|False#General",
                "deltagare#General|430#General|antal#General|False#General",
                "'=HYPERLINK(\"http://x\")#General||andel#General|True#General",
            ],
            read);
        // And MiniExcel, a third.
        var back = new MemoryStream(bytes).Query(useHeaderRow: true, sheetName: "Deltagare").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal((0.288961, true), (back[0]["Värde"], back[0]["Skyddad"]));
    }

    /// <summary>Runs a Python script with the system's python3 and returns the lines it prints.</summary>
    private static List<string> Python(string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
