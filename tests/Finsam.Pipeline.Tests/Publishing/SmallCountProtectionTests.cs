using Finsam.Pipeline.Disclosure;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>Primary and secondary suppression on hand-made KPI rows: which rows are suppressed, why (for the controller), and the audit.</summary>
public class SmallCountProtectionTests
{
    private static readonly KpiProtection[] Catalog =
    [
        new("deltagare", "deltagare", null, ["deltagare"]),
        new("deltagare_med_personuppgifter", "deltagare_med_personuppgifter", null, ["deltagare_med_personuppgifter"]),
        new("avslutade", "avslutade", null, ["avslutade"]),
        new("andel_avslutade", "avslutade", "deltagare", ["avslutade", "deltagare"]),
        new("avslut_arbete_studier_andel", "avslut_arbete_studier", "avslutade", ["avslut_arbete_studier", "avslutade"]),
        new("avslut_stegforflyttning_andel", "avslut_stegforflyttning", "avslutade", ["avslut_stegforflyttning", "avslutade"]),
        new("avslut_ovrigt_andel", "avslut_ovrigt", "avslutade", ["avslut_ovrigt", "avslutade"]),
        new("median_dagar", null, null, ["avslutade"]),
        new("kostnad_per_deltagare", "kostnad_individ", "deltagare", ["deltagare"]),
        new("medelstilldelning", "medelstilldelning", null, []),
    ];

    private static DisclosureRelation Relation(string name, RelationAxis over, string total, string parts = "") =>
        new(name, over, RelationKind.Equal, total.Split('|'), parts.Split('|', StringSplitOptions.RemoveEmptyEntries), "");

    private static readonly DisclosureRelation[] Relations =
    [
        Relation("avslut", RelationAxis.Measures, "avslutade", "avslut_arbete_studier|avslut_stegforflyttning|avslut_ovrigt"),
        Relation("upprepade", RelationAxis.Measures, "deltagare", "deltagare_med_personuppgifter|upprepade_registreringar"),
        Relation("kon", RelationAxis.Gender, "*"),
        Relation("geografi", RelationAxis.Geography, "*"),
        Relation("manader", RelationAxis.Months, "avslutade"),
    ];

    private static readonly ScopeMembership[] Scopes =
    [
        new("alfa", "lan", "L1"), new("beta", "lan", "L1"),
        new("alfa", "alla", "alla"), new("beta", "alla", "alla"),
    ];

    private long _nextId;

    private KpiRow Row(string kpi, string scopeId, string kon, decimal? value, decimal? numerator = null, decimal? denominator = null, string scope = "forbund", string period = "2025") =>
        new(++_nextId, kpi, scope, scopeId, period, period.Length == 4 ? "ar" : "manad", period.Length == 4 ? "2025-03" : period, kon, "", value, "antal", numerator ?? value, denominator, "");

    private static ProtectionResult Apply(params KpiRow[] rows) => new SmallCountProtection(Catalog, Relations, Scopes).Apply(rows);

    /// <summary>"scope/kon:why" of every suppressed row, sorted.</summary>
    private static List<string> Suppressed(ProtectionResult result, IEnumerable<KpiRow> rows) =>
        rows.Where(r => result.Suppressed.ContainsKey(r.RowId)).Select(r => $"{r.KpiId} {r.ScopeId} {r.Period} {r.Kon}:{result.Suppressed[r.RowId]}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Counts_of_five_and_more_and_zero_are_published()
    {
        var result = Apply(Row("deltagare", "alfa", "T", 12), Row("deltagare", "alfa", "K", 0), Row("deltagare", "alfa", "M", 12),
            Row("medelstilldelning", "alfa", "T", 3));
        Assert.Empty(result.Suppressed);
        Assert.True(result.Audit.Passed);
        Assert.Equal(0, result.Audit.SuppressedCells);
        Assert.Null(result.Audit.SmallestIntervalWidth);
    }

    [Fact]
    public void Women_from_total_minus_men_is_protected_by_suppressing_the_men_too()
    {
        KpiRow[] rows = [Row("deltagare", "alfa", "T", 10), Row("deltagare", "alfa", "K", 2), Row("deltagare", "alfa", "M", 8)];
        var result = Apply(rows);
        Assert.Equal(["deltagare alfa 2025 K:litet_antal", "deltagare alfa 2025 M:harledbar_summa"], Suppressed(result, rows));
        Assert.True(result.Audit.Passed);
        // K + M = 10: each of them can be anything from 0 to 10.
        Assert.Equal(2, result.Audit.SuppressedCells);
        Assert.Equal(10, result.Audit.SmallestIntervalWidth);
    }

    [Fact]
    public void A_ratio_whose_numerator_or_denominator_is_a_small_count_is_suppressed()
    {
        KpiRow[] rows =
        [
            Row("andel_avslutade", "alfa", "T", 0.3m, numerator: 3, denominator: 10),
            Row("kostnad_per_deltagare", "gamma", "T", 50000m, numerator: 200000, denominator: 4),
            Row("andel_avslutade", "beta", "T", 0.5m, numerator: 5, denominator: 10),
        ];
        var result = Apply(rows);
        Assert.Equal(["andel_avslutade alfa 2025 T:litet_antal", "kostnad_per_deltagare gamma 2025 T:litet_antal"], Suppressed(result, rows));
        Assert.True(result.Audit.Passed);
    }

    [Fact]
    public void A_count_suppressed_in_one_row_is_suppressed_wherever_it_appears()
    {
        // avslutade = 3 is small: the count row, the share whose numerator it is, and the median over those 3.
        KpiRow[] rows =
        [
            Row("avslutade", "alfa", "T", 3),
            Row("andel_avslutade", "alfa", "T", 0.3m, numerator: 3, denominator: 10),
            Row("median_dagar", "alfa", "T", 41m) with { Numerator = null },
            Row("deltagare", "alfa", "T", 10),
        ];
        var result = Apply(rows);
        Assert.Equal(["andel_avslutade alfa 2025 T:litet_antal", "avslutade alfa 2025 T:litet_antal", "median_dagar alfa 2025 T:litet_antal"], Suppressed(result, rows));
    }

    [Fact]
    public void A_federation_is_not_revealed_by_its_county_total_minus_the_other_federations()
    {
        KpiRow[] rows = [Row("deltagare", "alfa", "T", 3), Row("deltagare", "beta", "T", 20), Row("deltagare", "L1", "T", 23, scope: "lan"), Row("deltagare", "alla", "T", 23, scope: "alla")];
        var result = Apply(rows);
        Assert.Equal(["deltagare alfa 2025 T:litet_antal", "deltagare beta 2025 T:harledbar_summa"], Suppressed(result, rows));
        Assert.True(result.Audit.Passed);
    }

    [Fact]
    public void An_exit_group_is_not_revealed_by_the_ended_total_minus_the_other_groups()
    {
        // avslutade 20 = arbete/studier 12 + stegförflyttning 3 + övrigt 5: the 3 is small; the smallest other part (5) goes too.
        KpiRow[] rows =
        [
            Row("avslut_arbete_studier_andel", "alfa", "T", 0.6m, numerator: 12, denominator: 20),
            Row("avslut_stegforflyttning_andel", "alfa", "T", 0.15m, numerator: 3, denominator: 20),
            Row("avslut_ovrigt_andel", "alfa", "T", 0.25m, numerator: 5, denominator: 20),
            Row("avslutade", "alfa", "T", 20),
        ];
        var result = Apply(rows);
        Assert.Equal(["avslut_ovrigt_andel alfa 2025 T:harledbar", "avslut_stegforflyttning_andel alfa 2025 T:litet_antal"], Suppressed(result, rows));
        Assert.Equal(8, result.Audit.SmallestIntervalWidth);
    }

    [Fact]
    public void Secondary_suppression_spreads_until_no_hidden_count_can_be_worked_out()
    {
        // alfa K = 2 (primary) → alfa M (8) by gender; alfa M is then alone among the county's men → beta M (9) too;
        // beta M is alone in beta's gender relation → beta K (11) too.
        KpiRow[] rows =
        [
            Row("deltagare", "alfa", "T", 10), Row("deltagare", "alfa", "K", 2), Row("deltagare", "alfa", "M", 8),
            Row("deltagare", "beta", "T", 20), Row("deltagare", "beta", "K", 11), Row("deltagare", "beta", "M", 9),
            Row("deltagare", "L1", "T", 30, scope: "lan"), Row("deltagare", "L1", "K", 13, scope: "lan"), Row("deltagare", "L1", "M", 17, scope: "lan"),
        ];
        var result = Apply(rows);
        Assert.Equal(["deltagare alfa 2025 K:litet_antal", "deltagare alfa 2025 M:harledbar_summa", "deltagare beta 2025 K:harledbar_summa", "deltagare beta 2025 M:harledbar_summa"],
            Suppressed(result, rows));
        // One degree of freedom: alfa K = t, alfa M = 10 − t, beta K = 13 − t, beta M = 7 + t, with t from 0 to 10.
        Assert.Equal(10, result.Audit.SmallestIntervalWidth);
    }

    [Fact]
    public void A_month_is_not_revealed_by_the_year_minus_the_other_months()
    {
        KpiRow[] rows = [Row("avslutade", "alfa", "T", 12), Row("avslutade", "alfa", "T", 2, period: "2025-01"), Row("avslutade", "alfa", "T", 10, period: "2025-02")];
        var result = Apply(rows);
        Assert.Equal(["avslutade alfa 2025-01 T:litet_antal", "avslutade alfa 2025-02 T:harledbar"], Suppressed(result, rows));
    }

    [Fact]
    public void Repeat_registrations_from_1_to_4_are_protected_like_any_count()
    {
        // 14 registrations of 12 persons: 2 repeat registrations, a count no KPI shows; the smaller of the two counts goes.
        KpiRow[] rows = [Row("deltagare", "alfa", "T", 14), Row("deltagare_med_personuppgifter", "alfa", "T", 12)];
        var result = Apply(rows);
        Assert.Equal(["deltagare_med_personuppgifter alfa 2025 T:harledbar"], Suppressed(result, rows));
        Assert.True(result.Audit.Passed);
        // 20 registrations of 12 persons: 8 repeat registrations may be known.
        Assert.Empty(Apply(Row("deltagare", "alfa", "T", 20), Row("deltagare_med_personuppgifter", "alfa", "T", 12)).Suppressed);
    }

    [Fact]
    public void A_count_pinned_through_non_negative_counts_is_caught_by_the_audit_not_by_substitution()
    {
        // 3 ended: none to work or studies, none job/study-ready, 3 to other exits; the three groups are hidden. Substitution
        // sees two unknown counts in positive exits (0) and three in ended (3); the linear programme sees that the two
        // positive groups cannot be below 0, so both are 0 (a zero: no disclosure) and the other exits are 3.
        KpiRow[] rows = [.. AllToOtherExits(3), Row("kostnad_per_positivt_avslut", "alfa", "T", null, numerator: 100000, denominator: 0)];
        var graph = new CellGraph([.. Catalog, new("kostnad_per_positivt_avslut", "kostnad_individ", "positiva_avslut", ["positiva_avslut"])],
            [.. Relations, Relation("positiva_avslut", RelationAxis.Measures, "positiva_avslut", "avslut_arbete_studier|avslut_stegforflyttning")], Scopes);
        graph.AddVersion("ny", WithExitGroupsHidden(rows), exact: true);
        using var audit = new IntervalAudit(graph, exact: true);
        var outcome = audit.Run();
        Assert.Equal(["avslut_ovrigt alfa 2025 T: [3, 3] is pinned to one value (avslut: avslutade alfa 2025 T = avslut_arbete_studier alfa 2025 T + avslut_stegforflyttning alfa 2025 T + avslut_ovrigt alfa 2025 T; " +
                      "positiva_avslut: positiva_avslut alfa 2025 T = avslut_arbete_studier alfa 2025 T + avslut_stegforflyttning alfa 2025 T)"],
            outcome.Failures.Select(f => f.Failure.ToString()).ToList());
        // Both bounds are reached by solutions in whole counts, so no integer programme (CP-SAT) was needed to confirm them.
        Assert.Equal(0, audit.IntegerSolves);
    }

    [Fact]
    public void A_hidden_count_of_5_or_more_may_be_pinned_it_tells_what_a_published_count_tells()
    {
        // 8 ended, all to other exits: the three groups hidden, the other exits pinned at 8 (no count from 1 to 4 is told).
        foreach (var exact in new[] { true, false })
        {
            var graph = new CellGraph(Catalog, Relations, Scopes);
            graph.AddVersion("ny", WithExitGroupsHidden(AllToOtherExits(8)), exact);
            using var audit = new IntervalAudit(graph, exact);
            Assert.Empty(audit.Run().Failures);
        }
    }

    /// <summary>A federation's ended participants, all of them to other exits: the ended and the three exit groups' shares.</summary>
    private KpiRow[] AllToOtherExits(decimal ended) =>
    [
        Row("avslutade", "alfa", "T", ended),
        Row("avslut_arbete_studier_andel", "alfa", "T", 0m, numerator: 0, denominator: ended),
        Row("avslut_stegforflyttning_andel", "alfa", "T", 0m, numerator: 0, denominator: ended),
        Row("avslut_ovrigt_andel", "alfa", "T", 1m, numerator: ended, denominator: ended),
    ];

    /// <summary>A participant count of one level and period, with the latest month it covers.</summary>
    private KpiRow Count(string scope, string scopeId, string period, decimal value, string through) =>
        new(++_nextId, "deltagare", scope, scopeId, period, period.Length == 4 ? "ar" : "manad", through, "T", "", value, "antal", value, null, "");

    [Fact]
    public void With_complete_years_only_a_county_waits_for_its_last_federation_and_a_federation_for_its_december()
    {
        KpiRow[] rows =
        [
            Count("forbund", "alfa", "2025", 40, "2025-12"), Count("forbund", "beta", "2025", 30, "2025-11"),
            // A county's and all federations' latest month is their latest federation's.
            Count("lan", "L1", "2025", 70, "2025-12"), Count("alla", "alla", "2025", 70, "2025-12"),
            Count("forbund", "alfa", "2025-12", 9, "2025-12"), Count("forbund", "beta", "2025-11", 8, "2025-11"),
            Count("forbund", "alfa", "2024", 25, "2024-12"), Count("forbund", "beta", "2024", 20, "2024-12"),
            Count("lan", "L1", "2024", 45, "2024-12"), Count("alla", "alla", "2024", 45, "2024-12"),
        ];

        var result = new SmallCountProtection(Catalog, Relations, Scopes).Apply(rows, years: ParticipantYears.CompleteYears);

        Assert.True(result.Audit.Passed, result.Audit.Describe());
        Assert.Equal(["deltagare L1 2025 T:ofullstandigt_ar", "deltagare alla 2025 T:ofullstandigt_ar", "deltagare beta 2025 T:ofullstandigt_ar",
            "deltagare beta 2025-11 T:ofullstandigt_ar"], Suppressed(result, rows));
        Assert.Empty(new SmallCountProtection(Catalog, Relations, Scopes).Apply(rows).Suppressed);
    }

    /// <summary>The relations, with those between two releases.</summary>
    private static readonly DisclosureRelation[] WithVersions =
    [
        .. Relations, Relation("samma_period", RelationAxis.Versions, "*"),
        new("andring", RelationAxis.Versions, RelationKind.Change, ["*"], [], ""),
    ];

    /// <summary>A release's row as its member file and record give it: suppressed only because its year was not complete, with its value.</summary>
    private static ReleaseRow Withheld(long id, string scope, string scopeId, string period, decimal value, string through) =>
        new(id, "deltagare", scope, scopeId, period, through, "T", "", null, null, Suppressed: true, HiddenNumerator: value, Withheld: true);

    private static ReleaseRow Published(long id, string scope, string scopeId, string period, decimal value, string through) =>
        new(id, "deltagare", scope, scopeId, period, through, "T", "", value, null);

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public void A_month_withheld_for_its_year_is_published_with_the_complete_year_also_when_corrected_since(int march)
    {
        // The earlier release withheld the year through November and its March (the record keeps their values and why). A March
        // corrected since (8) is a change of a hidden count, audited as one, not the same count hidden for good.
        var earlier = new EarlierRelease("v1",
            [Withheld(1, "forbund", "alfa", "2025", 38, "2025-11"), Withheld(2, "forbund", "alfa", "2025-03", 6, "2025-03")]);
        KpiRow[] rows = [Count("forbund", "alfa", "2025", 40, "2025-12"), Count("forbund", "alfa", "2025-03", march, "2025-03")];

        var result = new SmallCountProtection(Catalog, WithVersions, Scopes).Apply(rows, [earlier], years: ParticipantYears.CompleteYears);

        Assert.True(result.Audit.Passed, result.Audit.Describe());
        Assert.Empty(result.Suppressed);
        // Unchanged, the two Marches are one count (samma_period, the only relation of this graph); corrected, two counts and their
        // change.
        Assert.Equal(march == 6 ? 1 : 0, result.Audit.Relations);
    }

    [Fact]
    public void A_county_withheld_until_its_last_federation_delivers_december_is_then_published()
    {
        // v1: alfa had delivered December, beta November: the county's latest month was already December, its counts withheld.
        var earlier = new EarlierRelease("v1",
        [
            Published(1, "forbund", "alfa", "2025", 40, "2025-12"), Withheld(2, "forbund", "beta", "2025", 30, "2025-11"),
            Withheld(3, "lan", "L1", "2025", 70, "2025-12"), Withheld(4, "alla", "alla", "2025", 70, "2025-12"),
        ]);
        KpiRow[] rows =
        [
            Count("forbund", "alfa", "2025", 40, "2025-12"), Count("forbund", "beta", "2025", 33, "2025-12"),
            Count("lan", "L1", "2025", 73, "2025-12"), Count("alla", "alla", "2025", 73, "2025-12"),
        ];

        var result = new SmallCountProtection(Catalog, WithVersions, Scopes).Apply(rows, [earlier], years: ParticipantYears.CompleteYears);

        // The county's total changed by beta's December (3) since v1 withheld it: it is a new count, published where the audit of
        // its change passes (here nothing relates v1's counts to others), not kept hidden as if v1 had hidden it for itself.
        Assert.True(result.Audit.Passed, result.Audit.Describe());
        Assert.Empty(result.Suppressed);
    }

    /// <summary>The rows as a release gives them, with the exit groups' rows suppressed.</summary>
    private static List<ReleaseRow> WithExitGroupsHidden(IEnumerable<KpiRow> rows) =>
        rows.Select(r => new ReleaseRow(r.RowId, r.KpiId, r.Scope, r.ScopeId, r.Period, r.ThroughPeriod, r.Kon, r.Dimension,
            r.Numerator, r.Denominator, Suppressed: r.KpiId.StartsWith("avslut_", StringComparison.Ordinal))).ToList();
}
