using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Volumes;

public class VolumeParserTests
{
    private static readonly Period March = new(2025, 3);
    private const string Header = "insats_id;insats_typ;manad;kon;antal";
    private static readonly HashSet<string> Known = ["alfa-MT", "alfa-UTB"];

    private static ValidatedFile Validate(params string[] rows) =>
        FileValidator.Validate(Csv.Utf8(string.Join("\n", [Header, .. rows])), March, null, Known);

    [Fact]
    public void A_valid_export_is_read_with_every_count()
    {
        var file = Validate("alfa-MT;individ;2025-03;K;4", "alfa-MT;individ;2025-03;M;0", "alfa-UTB;struktur;2025-03;K;18");

        Assert.True(file.IsValid, string.Join("\n", file.Report.Issues));
        Assert.Equal(FileKind.Volumes, file.Kind);
        Assert.Equal(3, file.RowCount);
        Assert.Equal([("alfa-MT", "individ", "2025-03", "K", 4, 2), ("alfa-MT", "individ", "2025-03", "M", 0, 3), ("alfa-UTB", "struktur", "2025-03", "K", 18, 4)],
            file.Volumes!.Rows.Select(r => (r.InsatsId, r.InsatsTyp, r.Manad, r.Kon, r.Antal, r.Line)));
    }

    [Theory]
    [InlineData("alfa-MT;individ;2025-02;K;4", "month_outside_landing_month", "manad", "2025-02")]
    [InlineData("alfa-MT;individ;2025-3;K;4", "month_invalid", "manad", "2025-3")]
    [InlineData("alfa-MT;individ;;K;4", "required", "manad", "")]
    [InlineData("alfa-MT;individ;2025-03;K;-1", "count_invalid", "antal", "-1")]
    [InlineData("alfa-MT;individ;2025-03;K;2,5", "count_invalid", "antal", "2,5")]
    [InlineData("alfa-MT;individ;2025-03;K;", "required", "antal", "")]
    [InlineData("alfa-MT;projekt;2025-03;K;4", "code_invalid", "insats_typ", "projekt")]
    [InlineData("alfa-MT;individ;2025-03;X;4", "code_invalid", "kon", "X")]
    [InlineData(";individ;2025-03;K;4", "required", "insats_id", "")]
    public void A_row_outside_the_contract_is_an_error_naming_line_column_and_value(string row, string code, string column, string value)
    {
        var file = Validate("alfa-MT;individ;2025-03;M;1", row);

        Assert.False(file.IsValid);
        var error = Assert.Single(file.Report.Errors);
        Assert.Equal((code, 3, column, value), (error.Code, error.Line!.Value, error.Column, error.Value));
        Assert.False(string.IsNullOrEmpty(error.MessageSv));
    }

    [Fact]
    public void A_month_outside_the_landing_month_says_so_in_both_languages()
    {
        var error = Assert.Single(Validate("alfa-MT;individ;2025-04;K;4").Report.Errors);

        Assert.Equal("manad ligger utanför leveransmånaden 2025-03; en volymexport gäller sin egen månad.", error.MessageSv);
        Assert.Equal("manad is outside the landing month 2025-03; a volume export is for its own month.", error.MessageEn);
    }

    [Fact]
    public void An_intervention_month_and_gender_appears_once()
    {
        var file = Validate("alfa-MT;individ;2025-03;K;4", "alfa-MT;individ;2025-03;K;5");

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("volume_duplicate", 3, "alfa-MT"), (error.Code, error.Line!.Value, error.Value));
        Assert.Equal("The intervention, month and gender already appear on line 2; each combination may appear once.", error.MessageEn);
    }

    [Fact]
    public void An_intervention_not_in_insatser_csv_is_a_warning_once_and_its_counts_are_kept()
    {
        var file = Validate("alfa-RAD;individ;2025-03;K;4", "alfa-RAD;individ;2025-03;M;2", "alfa-MT;individ;2025-03;K;1");

        Assert.True(file.IsValid);
        var warning = Assert.Single(file.Report.Warnings);
        Assert.Equal(("insats_unknown", 2, "insats_id", "alfa-RAD"), (warning.Code, warning.Line!.Value, warning.Column, warning.Value));
        Assert.Equal(3, file.Volumes!.Rows.Count);
        // Without the reference (finsam validate without --insatser) the check is left out.
        Assert.Empty(FileValidator.Validate(Csv.Utf8($"{Header}\nalfa-RAD;individ;2025-03;K;4"), March, null).Report.Warnings);
    }

    [Fact]
    public void An_export_without_rows_is_refused_so_that_a_delivered_month_is_never_mistaken_for_a_missing_one()
    {
        var file = Validate();

        var error = Assert.Single(file.Report.Errors);
        Assert.Equal(("no_rows", null), (error.Code, error.Line));
        Assert.StartsWith("The file has no rows. A month without volume registrations is delivered with antal 0", error.MessageEn);
    }
}
