using Finsam.Pipeline.Publishing;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>Primary and secondary suppression on hand-made KPI rows: which rows are suppressed, and why.</summary>
public class SmallCountProtectionTests
{
    private static readonly KpiProtection[] Catalog =
    [
        new("deltagare", "deltagare", null, ["deltagare"]),
        new("avslutade", "avslutade", null, ["avslutade"]),
        new("andel_avslutade", "avslutade", "deltagare", ["avslutade", "deltagare"]),
        new("avslut_arbete_studier_andel", "avslut_arbete_studier", "avslutade", ["avslut_arbete_studier", "avslutade"]),
        new("avslut_stegforflyttning_andel", "avslut_stegforflyttning", "avslutade", ["avslut_stegforflyttning", "avslutade"]),
        new("avslut_ovrigt_andel", "avslut_ovrigt", "avslutade", ["avslut_ovrigt", "avslutade"]),
        new("median_dagar", null, null, ["avslutade"]),
        new("kostnad_per_deltagare", "kostnad_individ", "deltagare", ["deltagare"]),
        new("medelstilldelning", "medelstilldelning", null, []),
    ];

    private static readonly CountRelation[] Relations =
        [new("avslut", "avslutade", ["avslut_arbete_studier", "avslut_stegforflyttning", "avslut_ovrigt"])];

    private static readonly ScopeMembership[] Scopes =
    [
        new("alfa", "lan", "L1"), new("beta", "lan", "L1"),
        new("alfa", "alla", "alla"), new("beta", "alla", "alla"),
    ];

    private long _nextId;

    private KpiRow Row(string kpi, string scopeId, string kon, decimal? value, decimal? numerator = null, decimal? denominator = null, string scope = "forbund", string period = "2025") =>
        new(++_nextId, kpi, scope, scopeId, period, period.Length == 4 ? "ar" : "manad", "2025-03", kon, "", value, "antal", numerator ?? value, denominator, "");

    private static IReadOnlyDictionary<long, string> Apply(params KpiRow[] rows) =>
        new SmallCountProtection(Catalog, Relations, Scopes).Apply(rows);

    [Fact]
    public void Counts_of_five_and_more_and_zero_are_published()
    {
        var result = Apply(Row("deltagare", "alfa", "T", 12), Row("deltagare", "alfa", "K", 0), Row("deltagare", "alfa", "M", 12),
            Row("medelstilldelning", "alfa", "T", 3));
        Assert.Empty(result);
    }

    [Fact]
    public void Women_from_total_minus_men_is_protected_by_suppressing_the_men_too()
    {
        var t = Row("deltagare", "alfa", "T", 10);
        var k = Row("deltagare", "alfa", "K", 2);
        var m = Row("deltagare", "alfa", "M", 8);
        var result = Apply(t, k, m);
        Assert.Equal(Suppression.SmallCount, result[k.RowId]);
        Assert.Equal(Suppression.Derivable, result[m.RowId]);
        Assert.False(result.ContainsKey(t.RowId));
    }

    [Fact]
    public void A_ratio_whose_numerator_or_denominator_is_a_small_count_is_suppressed()
    {
        var smallNumerator = Row("andel_avslutade", "alfa", "T", 0.3m, numerator: 3, denominator: 10);
        var smallDenominator = Row("kostnad_per_deltagare", "gamma", "T", 50000m, numerator: 200000, denominator: 4);
        var fine = Row("andel_avslutade", "beta", "T", 0.5m, numerator: 5, denominator: 10);
        var result = Apply(smallNumerator, smallDenominator, fine);
        Assert.Equal(Suppression.SmallCount, result[smallNumerator.RowId]);
        Assert.Equal(Suppression.SmallCount, result[smallDenominator.RowId]);
        Assert.False(result.ContainsKey(fine.RowId));
    }

    [Fact]
    public void A_count_suppressed_in_one_row_is_suppressed_wherever_it_appears()
    {
        // avslutade = 3 is small: the count row, the share whose numerator it is, the median over those 3, and the shares whose denominator it is.
        var ended = Row("avslutade", "alfa", "T", 3);
        var share = Row("andel_avslutade", "alfa", "T", 0.3m, numerator: 3, denominator: 10);
        var median = Row("median_dagar", "alfa", "T", 41m, numerator: null, denominator: null) with { Numerator = null };
        var participants = Row("deltagare", "alfa", "T", 10);
        var result = Apply(ended, share, median, participants);
        Assert.Equal(Suppression.SmallCount, result[ended.RowId]);
        Assert.Equal(Suppression.SmallCount, result[share.RowId]);
        Assert.Equal(Suppression.SmallCount, result[median.RowId]);
        Assert.False(result.ContainsKey(participants.RowId));
    }

    [Fact]
    public void A_federation_is_not_revealed_by_its_county_total_minus_the_other_federations()
    {
        var alfa = Row("deltagare", "alfa", "T", 3);
        var beta = Row("deltagare", "beta", "T", 20);
        var county = Row("deltagare", "L1", "T", 23, scope: "lan");
        var result = Apply(alfa, beta, county, Row("deltagare", "alla", "T", 23, scope: "alla"));
        Assert.Equal(Suppression.SmallCount, result[alfa.RowId]);
        Assert.Equal(Suppression.Derivable, result[beta.RowId]);
        Assert.False(result.ContainsKey(county.RowId));
    }

    [Fact]
    public void An_exit_group_is_not_revealed_by_the_ended_total_minus_the_other_groups()
    {
        // avslutade 20 = arbete/studier 12 + stegförflyttning 3 + övrigt 5: the 3 is small; the next smallest part (5) goes too.
        var work = Row("avslut_arbete_studier_andel", "alfa", "T", 0.6m, numerator: 12, denominator: 20);
        var ready = Row("avslut_stegforflyttning_andel", "alfa", "T", 0.15m, numerator: 3, denominator: 20);
        var other = Row("avslut_ovrigt_andel", "alfa", "T", 0.25m, numerator: 5, denominator: 20);
        var ended = Row("avslutade", "alfa", "T", 20);
        var result = Apply(work, ready, other, ended);
        Assert.Equal(Suppression.SmallCount, result[ready.RowId]);
        Assert.Equal(Suppression.Derivable, result[other.RowId]);
        Assert.False(result.ContainsKey(work.RowId));
        Assert.False(result.ContainsKey(ended.RowId));
    }

    [Fact]
    public void Secondary_suppression_spreads_until_no_group_has_exactly_one_hidden_cell()
    {
        // alfa K = 2 (primary) → alfa M (8) derivable by gender; alfa M is then alone among the county's men → beta M (9) too;
        // beta M is alone in beta's gender group → beta K (11) too.
        var rows = new[]
        {
            Row("deltagare", "alfa", "T", 10), Row("deltagare", "alfa", "K", 2), Row("deltagare", "alfa", "M", 8),
            Row("deltagare", "beta", "T", 20), Row("deltagare", "beta", "K", 11), Row("deltagare", "beta", "M", 9),
            Row("deltagare", "L1", "T", 30, scope: "lan"), Row("deltagare", "L1", "K", 13, scope: "lan"), Row("deltagare", "L1", "M", 17, scope: "lan"),
        };
        var result = Apply(rows);
        var suppressed = rows.Where(r => result.ContainsKey(r.RowId)).Select(r => $"{r.ScopeId}/{r.Kon}:{result[r.RowId]}").Order().ToList();
        Assert.Equal(["alfa/K:litet_antal", "alfa/M:harledbar", "beta/K:harledbar", "beta/M:harledbar"], suppressed);
    }

    [Fact]
    public void A_month_is_not_revealed_by_the_year_minus_the_other_months()
    {
        var year = Row("avslutade", "alfa", "T", 12);
        var january = Row("avslutade", "alfa", "T", 2, period: "2025-01");
        var february = Row("avslutade", "alfa", "T", 10, period: "2025-02");
        var result = Apply(year, january, february);
        Assert.Equal(Suppression.SmallCount, result[january.RowId]);
        Assert.Equal(Suppression.Derivable, result[february.RowId]);
        Assert.False(result.ContainsKey(year.RowId));
    }
}
