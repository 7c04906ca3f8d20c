using Finsam.Pipeline.Models;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>Every data-quality rule, triggered by a small scenario built through the real pipeline.</summary>
public class QualityRuleTests
{
    private const string BalancedContributions = """
        V1;2025-01-10;1930;400000,00;;
        V1;2025-01-10;3010;-200000,00;;
        V1;2025-01-10;3020;-100000,00;;
        V1;2025-01-10;3031;-100000,00;;
        """ + "\n";

    private static string Person(int serial) => TestPersons.Number(1985, 4, 12, serial);

    private static async Task<List<(string Federation, int? Year, string? Period, string Rule, string Severity, long Rows)>> FindingsAsync(ModelScenario scenario)
    {
        using var build = await scenario.BuildAsync();
        Assert.Empty(build.AssertionFailures);
        return build.Findings().Where(f => f.Rule != "equity_above_recommendation").ToList();
    }

    [Fact]
    public async Task Unmapped_account_is_an_error_and_the_row_is_kept_marked_unmapped()
    {
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", BalancedContributions + "V2;2025-01-11;9100;500,00;;\nV2;2025-01-11;1930;-500,00;;");
        using var build = await scenario.BuildAsync();

        // What the error does to the KPIs is in ErrorScopeTests.
        Assert.Contains(("alfa", (int?)2025, (string?)null, "unmapped_account", "error", 1L), build.Findings());
        var status = build.Session.Query("select mapping_status from int_account_rows_mapped where account = '9100'").Rows.Single()[0];
        Assert.Equal("unmapped", status);
    }

    [Fact]
    public async Task Equally_specific_rules_that_disagree_are_a_conflict()
    {
        using var scenario = new ModelScenario()
            .AppendMapping("*;6410;6410;;administration;\n*;6410;6410;;strukturovergripande_insatser;")
            .Ledger("alfa", "2025-01", BalancedContributions + "V2;2025-01-11;6410;500,00;;\nV2;2025-01-11;1930;-500,00;;");

        Assert.Equal([("alfa", 2025, null, "mapping_conflict", "error", 1L)], await FindingsAsync(scenario));
    }

    [Fact]
    public async Task Mapping_precedence_federation_then_object_then_narrower_range()
    {
        using var scenario = new ModelScenario()
            .AppendMapping("""
                *;4010;4010;;administration;
                *;4010;4010;1:MT;strukturovergripande_insatser;
                alfa;4000;4999;;individinriktade_insatser;
                """)
            .Ledger("alfa", "2025-01", BalancedContributions + """
                V2;2025-01-11;4010;100,00;1:MT;
                V2;2025-01-11;1930;-100,00;;
                """)
            .Ledger("beta", "2025-01", BalancedContributions + """
                V2;2025-01-11;4010;100,00;1:MT|6:P1;
                V2;2025-01-11;4010;200,00;1:CT;
                V2;2025-01-11;4020;300,00;;
                V2;2025-01-11;1930;-600,00;;
                """);
        using var build = await scenario.BuildAsync();

        var categories = build.Session.Query("select federation_id, account, cost_objects, kategori from int_account_rows_mapped where account like '40%' order by all")
            .Rows.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!)).ToList();
        Assert.Equal(
            [
                ("alfa", "4010", "1:MT", "individinriktade_insatser"),       // alfa's own rule beats the '*' rules, however narrow
                ("beta", "4010", "1:CT", "administration"),                  // no object match: the narrower 4010 rule beats 4000-5999
                ("beta", "4010", "1:MT|6:P1", "strukturovergripande_insatser"), // the object pattern beats the same range without one
                ("beta", "4020", "", "individinriktade_insatser"),           // only the wide range matches
            ],
            categories);
    }

    [Fact]
    public async Task Contributions_off_the_legal_split_are_a_warning_and_flag_the_kpi()
    {
        // 240 000 / 80 000 / 80 000: the state pays 0.6, region and municipalities 0.2 each.
        using var scenario = new ModelScenario().Ledger("alfa", "2025-01", """
            V1;2025-01-10;1930;400000,00;;
            V1;2025-01-10;3010;-240000,00;;
            V1;2025-01-10;3020;-80000,00;;
            V1;2025-01-10;3031;-80000,00;;
            """);
        using var build = await scenario.BuildAsync();

        var deviating = build.Session.Query("select severity, detail from quality where rule_id = 'legal_split_deviation' order by detail").Rows
            .Select(r => ((string)r[0]!, ((string)r[1]!).Split(':')[0])).ToList();
        Assert.Equal([("warning", "kommuner"), ("warning", "region"), ("warning", "stat")], deviating);
        var flags = build.Session.Query("select dimension, value, flag from kpi where kpi_id = 'bidrag_andel' and scope_id = 'alfa' order by dimension").Rows
            .Select(r => ((string)r[0]!, (decimal)r[1]!, (string)r[2]!)).ToList();
        Assert.Equal([("kommuner", 0.2m, "avviker_fran_lagen"), ("region", 0.2m, "avviker_fran_lagen"), ("stat", 0.6m, "avviker_fran_lagen")], flags);
    }

    [Fact]
    public async Task Opening_equity_must_equal_the_previous_years_closing_equity()
    {
        // 2024 closes (through December) with equity 100 000 + result 50 000 = 150 000; 2025 opens with 140 000.
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2024-12", """
                IB;2024-01-01;1930;100000,00;;
                IB;2024-01-01;2010;-100000,00;;
                V1;2024-12-10;1930;50000,00;;
                V1;2024-12-10;3010;-50000,00;;
                """)
            .Ledger("alfa", "2025-01", """
                IB;2025-01-01;1930;140000,00;;
                IB;2025-01-01;2010;-140000,00;;
                """ + "\n" + BalancedContributions);

        // Given for both years: the opening side in 2025, the closing side in 2024.
        var findings = await FindingsAsync(scenario);
        Assert.Contains(("alfa", 2025, null, "equity_continuity", "error", 1L), findings);
        Assert.Contains(("alfa", 2024, null, "equity_continuity", "error", 1L), findings);
    }

    [Fact]
    public async Task A_month_missing_between_the_first_and_the_latest_is_an_error_per_kind()
    {
        // Ledger January and March; participants January–April, so the ledger's April is missing at the end;
        // volumes January and April.
        var person = $"R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;";
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", BalancedContributions)
            .Ledger("alfa", "2025-03", BalancedContributions.Replace("2025-01-10", "2025-03-10"))
            .Participants("alfa", "2025-01", person).Participants("alfa", "2025-02", person).Participants("alfa", "2025-03", person).Participants("alfa", "2025-04", person)
            .Volumes("alfa", "2025-01", "alfa-MT;individ;2025-01;K;2")
            .Volumes("alfa", "2025-04", "alfa-MT;individ;2025-04;K;3");

        var missing = (await FindingsAsync(scenario)).Where(f => f.Rule.StartsWith("missing_", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                ("alfa", 2025, "2025-02", "missing_ledger_month", "error", 0L),
                ("alfa", 2025, "2025-02", "missing_volume_month", "error", 0L),
                ("alfa", 2025, "2025-03", "missing_volume_month", "error", 0L),
                ("alfa", 2025, "2025-04", "missing_ledger_month", "error", 0L),
            ],
            missing);
    }

    [Fact]
    public async Task A_participant_export_with_no_rows_is_a_delivered_month_not_a_missing_one()
    {
        // R1 ended on 20 January; nobody was active in February (the export has its header only); R2 started in March.
        // Before, February counted as missing: an error that flagged every participant figure of the year.
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", BalancedContributions)
            .Ledger("alfa", "2025-02", BalancedContributions.Replace("2025-01-10", "2025-02-10"))
            .Ledger("alfa", "2025-03", BalancedContributions.Replace("2025-01-10", "2025-03-10"))
            .Participants("alfa", "2025-01", $"R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;2025-01-20;;;;arbete")
            .Participants("alfa", "2025-02", "")
            .Participants("alfa", "2025-03", $"R2;{Person(202)};nej;M;;9901;alfa-MT;MT;individ;2025-03-03;;;;;");
        using var build = await scenario.BuildAsync();

        Assert.Empty(build.AssertionFailures);
        Assert.DoesNotContain(build.Findings(), f => f.Rule.StartsWith("missing_", StringComparison.Ordinal));
        Assert.Equal(
            [("2025-01", true), ("2025-02", true), ("2025-03", true)],
            build.Session.Query("select period, delivered from int_expected_exports where kind = 'participants' order by period").Rows
                .Select(r => ((string)r[0]!, (bool)r[1]!)).ToList());
        // The year's participants are final in status apart from the year being incomplete: 2 with personal data, 1 ended.
        var values = build.Session.Query("""
            select kpi_id, value, status from kpi
            where scope_id = 'alfa' and period = '2025' and kon = 'T' and kpi_id in ('deltagare_med_personuppgifter', 'avslutade') order by kpi_id
            """).Rows.Select(r => ((string)r[0]!, (decimal?)r[1], (string)r[2]!)).ToList();
        Assert.Equal([("avslutade", 1m, "preliminar"), ("deltagare_med_personuppgifter", 2m, "preliminar")], values);
    }

    [Fact]
    public async Task A_latest_month_whose_participant_export_has_no_rows_is_how_far_the_year_goes()
    {
        // Ledger and participants January–February; March's participant export has nobody and its ledger is missing. The
        // year runs through March, so March's ledger is a missing month and the finance through March is flagged.
        var person = $"R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;2025-02-20;;;;arbete";
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", BalancedContributions)
            .Ledger("alfa", "2025-02", BalancedContributions.Replace("2025-01-10", "2025-02-10"))
            .Participants("alfa", "2025-01", person.Replace("2025-02-20;;;;arbete", ";;;;"))
            .Participants("alfa", "2025-02", person)
            .Participants("alfa", "2025-03", "");
        using var build = await scenario.BuildAsync();

        Assert.Empty(build.AssertionFailures);
        Assert.Equal([("alfa", 2025, "2025-03", "missing_ledger_month", "error", 0L)],
            build.Findings().Where(f => f.Rule.StartsWith("missing_", StringComparison.Ordinal)).ToList());
        var row = build.Session.Query("select value, through_period, status from kpi where kpi_id = 'medelstilldelning' and scope_id = 'alfa' and period = '2025'").Rows.Single();
        Assert.Equal((800000m, "2025-03", "brist"), ((decimal?)row[0], (string)row[1]!, (string)row[2]!));
    }

    [Fact]
    public async Task A_registration_active_in_a_month_whose_export_lacks_it_is_reported_per_month()
    {
        // R2 started 2025-01-20 but first appears in February's export (registered late).
        using var scenario = new ModelScenario()
            .Participants("alfa", "2025-01", $"R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;")
            .Participants("alfa", "2025-02", $"""
                R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;
                R2;{Person(202)};nej;M;;9901;alfa-MT;MT;individ;2025-01-20;;;;;
                """);

        Assert.Equal([("alfa", 2025, "2025-01", "registration_missing_from_export", "warning", 1L)], await FindingsAsync(scenario));
    }

    [Fact]
    public async Task One_person_with_different_gender_is_reported()
    {
        using var scenario = new ModelScenario().Participants("alfa", "2025-01", $"""
            R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;
            R2;{Person(101)};nej;M;;9901;alfa-CT;CT;individ;2025-01-06;;;;;
            """);

        // An error: counted as both K and M, the counts by gender are off (what it flags is in ErrorScopeTests).
        Assert.Equal([("alfa", 2025, null, "person_inconsistent", "error", 2L)], await FindingsAsync(scenario));
    }

    [Fact]
    public async Task One_person_with_different_gender_in_two_federations_is_reported_in_both()
    {
        // Person 101 is K in alfa and M in beta; person 202 is K in both, and person 303 is in alfa alone.
        using var scenario = new ModelScenario()
            .Participants("alfa", "2025-01", $"""
                R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;
                R2;{Person(202)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;
                R3;{Person(303)};nej;M;;9901;alfa-MT;MT;individ;2025-01-05;;;;;
                """)
            .Participants("beta", "2025-01", $"""
                B1;{Person(101)};nej;M;;9903;beta-MT;MT;individ;2025-01-07;;;;;
                B2;{Person(202)};nej;K;;9903;beta-MT;MT;individ;2025-01-07;;;;;
                """);

        Assert.Equal([("alfa", 2025, (string?)null, "person_inconsistent", "error", 1L), ("beta", 2025, null, "person_inconsistent", "error", 1L)],
            (await FindingsAsync(scenario)).Where(f => f.Item4 == "person_inconsistent"));
    }

    [Fact]
    public async Task Overlapping_registrations_in_the_same_intervention_are_reported()
    {
        using var scenario = new ModelScenario().Participants("alfa", "2025-01", $"""
            R1;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;;;;;
            R2;{Person(101)};nej;K;;9901;alfa-MT;MT;individ;2025-01-10;2025-01-20;;;;annat
            R3;{Person(101)};nej;K;;9901;alfa-CT;CT;individ;2025-01-10;;;;;
            """);

        Assert.Equal([("alfa", 2025, null, "overlapping_registrations", "warning", 2L)], await FindingsAsync(scenario));
    }

    /// <summary>The equity warnings of a build, with their texts.</summary>
    private static List<(int? Year, string? Period, string Detail)> EquityWarnings(ModelBuild build) =>
        build.Session.Query("select year, period, detail from quality where rule_id = 'equity_above_recommendation' order by all")
            .Rows.Select(r => ((int?)r[0], (string?)r[1], (string)r[2]!)).ToList();

    /// <summary>Alfa's opening balances of 2025: 400 000 of equity.</summary>
    private const string OpeningEquity = """
        IB;2025-01-01;1930;400000,00;;
        IB;2025-01-01;2010;-400000,00;;
        """ + "\n";

    [Fact]
    public async Task Equity_of_a_complete_year_above_twenty_percent_of_its_contributions_is_a_warning_in_percent()
    {
        // Equity at 31 December: 400 000 opening + 400 000 contributions − 190 000 costs = 610 000 against the year's
        // 400 000 contributions: 152.5 %. (February to November are missing: errors of their own.)
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", OpeningEquity + BalancedContributions)
            .Ledger("alfa", "2025-12", "V9;2025-12-10;4010;190000,00;;\nV9;2025-12-10;1930;-190000,00;;");
        using var build = await scenario.BuildAsync();

        Assert.Equal(
            [(2025, "2025-12", "Eget kapital 31 december 2025 är 152,5 % av årets medelstilldelning (rekommendation högst 20 %) / " +
                "equity at 31 December 2025 is 152.5 % of the year's contributions (recommended at most 20 %)")],
            EquityWarnings(build));
        Assert.Equal(1.525m, build.Kpis("alfa", "2025")["eget_kapital_andel/T/"]);
        var flag = build.Session.Query("select flag from kpi where kpi_id = 'eget_kapital_andel' and scope_id = 'alfa'").Rows.Single()[0];
        Assert.Equal("over_rekommendation", flag);
    }

    [Theory]
    [InlineData("800000", "Ingående eget kapital 2025 är 25,0 % av den budgeterade medelstilldelningen 2025 (rekommendation högst 20 %) / " +
        "opening equity 2025 is 25.0 % of the contributions budgeted for 2025 (recommended at most 20 %)")]
    [InlineData("1050000", null)]
    public async Task Opening_equity_of_an_incomplete_year_is_measured_against_the_budgeted_contributions(string budgeted, string? detail)
    {
        // January: the contributions so far (400 000) say nothing of the year's; the budget says 1 600 000 (the state half,
        // the region and the municipalities a quarter each) or 2 100 000 (19.0 %).
        using var scenario = new ModelScenario()
            .Reference("budget.csv", $"federation_id;ar;kategori;belopp\nalfa;2025;bidrag_stat;{budgeted}\nalfa;2025;bidrag_region;{decimal.Parse(budgeted) / 2}\n" +
                $"alfa;2025;bidrag_kommun;{decimal.Parse(budgeted) / 2}\n")
            .Ledger("alfa", "2025-01", OpeningEquity + BalancedContributions);
        using var build = await scenario.BuildAsync();

        Assert.Equal(detail is null ? [] : [(2025, "2025-01", detail)], EquityWarnings(build));
        // The KPI is the year to date against the months so far (200 %): not flagged before the year is complete.
        var flag = build.Session.Query("select flag from kpi where kpi_id = 'eget_kapital_andel' and scope_id = 'alfa'").Rows.Single()[0];
        Assert.Equal("", flag);
    }

    [Fact]
    public async Task A_budget_of_only_some_of_the_contributions_is_not_what_equity_is_measured_against()
    {
        // The state's half alone (400 000) would make 400 000 of equity 100 %: the budget must give all three member groups.
        using var scenario = new ModelScenario()
            .Reference("budget.csv", "federation_id;ar;kategori;belopp\nalfa;2025;bidrag_stat;400000\n")
            .Ledger("alfa", "2025-01", OpeningEquity + BalancedContributions);
        using var build = await scenario.BuildAsync();

        Assert.Empty(EquityWarnings(build));
    }

    [Fact]
    public async Task Opening_equity_of_an_incomplete_year_without_a_budget_is_measured_against_the_previous_complete_year()
    {
        // 2024 (December only, so complete) had 1 000 000 of contributions; 2025 opens with 400 000 of equity: 40.0 %.
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2024-12", "V1;2024-12-10;1930;1000000,00;;\nV1;2024-12-10;3010;-1000000,00;;")
            .Ledger("alfa", "2025-01", OpeningEquity + BalancedContributions);
        using var build = await scenario.BuildAsync();

        Assert.Equal(
            [(2025, "2025-01", "Ingående eget kapital 2025 är 40,0 % av medelstilldelningen 2024 (rekommendation högst 20 %) / " +
                "opening equity 2025 is 40.0 % of the 2024 contributions (recommended at most 20 %)")],
            EquityWarnings(build));
    }

    [Fact]
    public async Task Opening_equity_of_an_incomplete_year_with_nothing_to_measure_it_against_gives_no_warning()
    {
        using var scenario = new ModelScenario().Ledger("alfa", "2025-01", OpeningEquity + BalancedContributions);
        using var build = await scenario.BuildAsync();

        Assert.Empty(EquityWarnings(build));
    }

    [Fact]
    public async Task Opening_balances_before_last_years_result_is_booked_count_the_difference_as_equity_and_continue_the_equity_of_the_year_before()
    {
        // 2024: 400 000 of opening equity and a result of 50 000 (contributions 400 000, costs 350 000): 450 000 at its end.
        // January 2025, before the closing, as a SIE export: the balances still carry 400 000 on the equity account, and the
        // assets the profit bought (1930: 450 000), so they sum to 50 000 — last year's result (#RES -1), not booked yet. The
        // file is accepted with a warning (SieExportPatternTests), and the difference is equity: the opening equity of 2025
        // is 450 000, as 2024 closed, and the continuity check finds nothing.
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2024-12", """
                IB;2024-01-01;1930;400000,00;;
                IB;2024-01-01;2010;-400000,00;;
                V1;2024-12-10;1930;400000,00;;
                V1;2024-12-10;3010;-400000,00;;
                V2;2024-12-11;4010;350000,00;;
                V2;2024-12-11;1930;-350000,00;;
                """)
            .SieLedger("alfa", "2025-01", """
                #IB 0 1930 450000.00
                #IB 0 2010 -400000.00
                #RES -1 3010 -400000.00
                #RES -1 4010 350000.00
                #VER A 1 20250110 "Medel"
                {
                #TRANS 1930 {} 400000.00
                #TRANS 3010 {} -200000.00
                #TRANS 3020 {} -100000.00
                #TRANS 3031 {} -100000.00
                }
                """);
        using var build = await scenario.BuildAsync();

        Assert.Equal(450000m, build.Kpis("alfa", "2024")["eget_kapital/T/"]);
        // 450 000 opening + 400 000 contributions of January.
        Assert.Equal(850000m, build.Kpis("alfa", "2025")["eget_kapital/T/"]);
        Assert.DoesNotContain(build.Findings(), f => f.Rule == "equity_continuity");
        Assert.Equal(450000m, build.Session.Query("select eget_kapital_ib from int_finance_year where year = 2025").Rows.Single()[0]);
    }
}
