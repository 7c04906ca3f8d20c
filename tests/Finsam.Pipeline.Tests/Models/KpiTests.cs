using Finsam.Pipeline.Models;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>
/// One federation-year checked by hand: Samordningsförbundet Alfa, January and February 2025.
/// Every KPI in the catalog is asserted with its exact value; the arithmetic is in the comments.
/// The scenario is built once and shared by every test of the class.
/// </summary>
public class KpiTests(KpiTests.Scenario world) : IClassFixture<KpiTests.Scenario>
{
    public static readonly string P1 = TestPersons.Number(1990, 3, 14, 123); // K, born 1990-03-14
    public static readonly string P2 = TestPersons.Number(1970, 5, 2, 456);  // M, born 1970-05-02
    public static readonly string P3 = TestPersons.Number(1995, 8, 30, 789); // K, born 1995-08-30
    public static readonly string P4 = TestPersons.Number(1960, 1, 9, 321);  // M, born 1960-01-09

    public sealed class Scenario : BuiltScenario
    {
        protected override async Task ArrangeAsync()
        {
            Scenario
                .Reference("insatser.csv", """
                    federation_id;insats_id;namn;typ;huvudman;objekt;budget_deltagare
                    alfa;alfa-MT;Mottagningsteam;MT;Region Test;1:MT;40
                    alfa;alfa-CT;Coachingteam;CT;Kommun 9901;1:CT;4
                    alfa;alfa-UTB;Utbildningsdagar;struktur;Samordningsförbundet;;50
                    """)
                // Opening balances: bank 500 000, equity -400 000 (credit), suppliers -100 000.
                .Ledger("alfa", "2025-01", """
                    IB;2025-01-01;1930;500000,00;;
                    IB;2025-01-01;2010;-400000,00;;
                    IB;2025-01-01;2440;-100000,00;;
                    V1;2025-01-10;1930;400000,00;;Medelstilldelning
                    V1;2025-01-10;3010;-200000,00;;Försäkringskassan
                    V1;2025-01-10;3020;-100000,00;;Region
                    V1;2025-01-10;3031;-60000,00;;Kommun 9901
                    V1;2025-01-10;3032;-40000,00;;Kommun 9902
                    V2;2025-01-20;4010;90000,00;1:MT;Mottagningsteam
                    V2;2025-01-20;4510;10000,00;;Utbildningsdag
                    V2;2025-01-20;6410;20000,00;;Styrelse
                    V2;2025-01-20;1930;-120000,00;;
                    """)
                .Ledger("alfa", "2025-02", """
                    V3;2025-02-10;1930;50000,00;;ESF
                    V3;2025-02-10;3510;-50000,00;6:P12;ESF
                    V4;2025-02-20;4010;30000,00;1:CT;Coachingteam
                    V4;2025-02-20;6110;12000,00;;Lokal
                    V4;2025-02-20;8400;-1000,00;;Ränta
                    V4;2025-02-20;1930;-41000,00;;
                    """)
                .Participants("alfa", "2025-01", $"""
                    R1;{P1};nej;K;;9901;alfa-MT;Mottagningsteam;individ;2024-11-01;2025-01-31;gymnasium;forsorjningsstod;lon;arbete
                    R3;{P2};nej;M;;9902;alfa-MT;Mottagningsteam;individ;2025-01-15;;grundskola;sjukpenning;;
                    R5;{P4};nej;M;;9901;alfa-MT;Mottagningsteam;individ;2024-06-01;;saknas;sjukersattning;;
                    R6;;ja;K;;;alfa-MT;Mottagningsteam;individ;2025-01-05;2025-01-25;;;;
                    R7;{P2};nej;M;;9902;alfa-MT;Mottagningsteam;individ;2024-12-01;2025-01-10;;;;felregistrering
                    """)
                .Participants("alfa", "2025-02", $"""
                    R2;{P1};nej;K;;9901;alfa-CT;Coachingteam;individ;2025-02-01;;gymnasium;ingen;;
                    R3;{P2};nej;M;;9902;alfa-MT;Mottagningsteam;individ;2025-01-15;2025-02-14;grundskola;sjukpenning;a_kassa;arbetssokande
                    R4;{P3};nej;K;;9901;alfa-MT;Mottagningsteam;individ;2025-02-03;;eftergymnasial;aktivitetsstod|studiemedel;;
                    R5;{P4};nej;M;;9901;alfa-MT;Mottagningsteam;individ;2024-06-01;2025-02-28;saknas;sjukersattning;sjukersattning;ohalsa
                    """)
                // Advice cases at the reception team and staff at training days, counted by volume.
                .Volumes("alfa", "2025-01", """
                    alfa-MT;individ;2025-01;K;3
                    alfa-MT;individ;2025-01;M;2
                    alfa-UTB;struktur;2025-01;K;10
                    alfa-UTB;struktur;2025-01;M;4
                    """)
                .Volumes("alfa", "2025-02", """
                    alfa-MT;individ;2025-02;K;1
                    alfa-MT;individ;2025-02;M;0
                    alfa-UTB;struktur;2025-02;K;0
                    alfa-UTB;struktur;2025-02;M;6
                    """);
        }
    }

    private readonly ModelBuild _build = world.Build;
    private readonly Dictionary<string, decimal?> _kpi = world.Build.Kpis("alfa", "2025");

    private void Expect(string kpi, decimal? expected, string kon = "T", string dimension = "") =>
        Assert.True(_kpi.TryGetValue($"{kpi}/{kon}/{dimension}", out var actual) && actual == expected,
            $"{kpi}/{kon}/{dimension}: expected {expected}, got {(_kpi.TryGetValue($"{kpi}/{kon}/{dimension}", out var a) ? a?.ToString() ?? "null" : "no value")}");

    [Fact]
    public void Finance_kpis_match_the_hand_computed_values()
    {
        // Contributions: state 200 000 + region 100 000 + municipalities 60 000 + 40 000 = 400 000.
        Expect("medelstilldelning", 400000m);
        Expect("bidrag", 200000m, dimension: "stat");
        Expect("bidrag", 100000m, dimension: "region");
        Expect("bidrag", 60000m, dimension: "9901");
        Expect("bidrag", 40000m, dimension: "9902");
        // Legal split exactly 1/2, 1/4, 1/4.
        Expect("bidrag_andel", 0.5m, dimension: "stat");
        Expect("bidrag_andel", 0.25m, dimension: "region");
        Expect("bidrag_andel", 0.25m, dimension: "kommuner");
        Expect("extra_medel", 50000m);
        // Individual: 90 000 (4010 MT) + 30 000 (4010 CT) + 12 000 (6110: the narrower '*' rule beats 6000-7999) = 132 000.
        Expect("kostnad", 132000m, dimension: "individinriktade_insatser");
        // Structural: 4510 (4500-4599 is narrower than 4000-5999) = 10 000. Administration: 6410 = 20 000.
        Expect("kostnad", 10000m, dimension: "strukturovergripande_insatser");
        Expect("kostnad", 20000m, dimension: "administration");
        Expect("kostnad_total", 162000m);
        // 132 000 / 162 000 = 0.8148148… → 0.814815; 10 000 / 162 000 = 0.0617283… → 0.061728; 20 000 / 162 000 = 0.1234567… → 0.123457.
        Expect("kostnad_andel", 0.814815m, dimension: "individinriktade_insatser");
        Expect("kostnad_andel", 0.061728m, dimension: "strukturovergripande_insatser");
        Expect("kostnad_andel", 0.123457m, dimension: "administration");
        // 20 000 / 400 000.
        Expect("admin_andel_medelstilldelning", 0.05m);
        // Result: 400 000 + 50 000 + 1 000 (interest, 8400) − 162 000 = 289 000.
        Expect("resultat", 289000m);
        // Equity: opening 400 000 + 289 000 = 689 000; share 689 000 / 400 000 = 1.7225 (above 20 %).
        Expect("eget_kapital", 689000m);
        Expect("eget_kapital_andel", 1.7225m);
        // Budget: individual 132 000 / 600 000 = 0.22; administration 20 000 / 100 000 = 0.2.
        Expect("budget_utfall", 0.22m, dimension: "individinriktade_insatser");
        Expect("budget_utfall", 0.2m, dimension: "administration");
        // Costs on the interventions' objects: 1:MT 90 000, 1:CT 30 000.
        Expect("kostnad_insats", 90000m, dimension: "alfa-MT");
        Expect("kostnad_insats", 30000m, dimension: "alfa-CT");
        // MT had 5 unique participants (P1, P2, P3, P4, the anonymous one): 90 000 / 5; CT had P1: 30 000 / 1.
        Expect("kostnad_per_deltagare_insats", 18000m, dimension: "alfa-MT");
        Expect("kostnad_per_deltagare_insats", 30000m, dimension: "alfa-CT");
    }

    [Fact]
    public void Participant_kpis_match_the_hand_computed_values()
    {
        // Registrations in 2025 through February (R7 is a felregistrering and left out):
        // R1 P1 K MT 2024-11-01–2025-01-31 arbete; R2 P1 K CT from 2025-02-01; R3 P2 M MT 2025-01-15–02-14 arbetssokande;
        // R4 P3 K MT from 2025-02-03; R5 P4 M MT 2024-06-01–2025-02-28 ohalsa; R6 anonymous K MT 2025-01-05–01-25.
        // The registration flows and the follow-up are over the five with personal data (R1–R5); R6 is never followed up.
        // deltagare = pagaende_start + nya = avslutade + pagaende_slut: T 2 + 3 = 3 + 2 = 5.
        foreach (var (kon, deltagare, nya, avslutade, start, slut) in new[]
                 {
                     ("T", 5m, 3m, 3m, 2m, 2m), // nya R2 R3 R4; avslutade R1 R3 R5; at start R1 R5; at end R2 R4
                     ("K", 3m, 2m, 1m, 1m, 2m), // R1 R2 R4
                     ("M", 2m, 1m, 2m, 1m, 0m), // R3 R5
                 })
        {
            Expect("deltagare", deltagare, kon);
            Expect("nya", nya, kon);
            Expect("avslutade", avslutade, kon);
            Expect("pagaende_start", start, kon);
            Expect("pagaende_slut", slut, kon);
        }
        // Share ended: T 3/5, K 1/3, M 2/2.
        Expect("andel_avslutade", 0.6m);
        Expect("andel_avslutade", 0.333333m, "K");
        Expect("andel_avslutade", 1m, "M");
        // Exits: R1 arbete (work/studies), R3 arbetssokande (job/study-ready), R5 ohalsa (other): a third each.
        Expect("avslut_arbete_studier_andel", 0.333333m);
        Expect("avslut_arbete_studier_andel", 1m, "K");
        Expect("avslut_arbete_studier_andel", 0m, "M");
        Expect("avslut_arbete", 1m);
        Expect("avslut_arbete_med_stod", 0m);
        Expect("avslut_studier", 0m);
        Expect("avslut_stegforflyttning_andel", 0.333333m);
        Expect("avslut_stegforflyttning_andel", 0.5m, "M");
        Expect("avslut_ovrigt_andel", 0.333333m);
        // Days: R3 30, R1 91, R5 272 → median 91; K (R1) 91; M (30, 272) → 151.
        Expect("median_dagar", 91m);
        Expect("median_dagar", 91m, "K");
        Expect("median_dagar", 151m, "M");
        // Exact age at the start of each person's first registration in 2025: P1 R1 2024-11-01, born 1990-03-14 → 34 (30-44);
        // P2 R3 2025-01-15, born 1970-05-02 → 54 (45-59); P3 R4 2025-02-03, born 1995-08-30 → 29, not 2025 − 1995 = 30 (16-29);
        // P4 R5 2024-06-01, born 1960-01-09 → 64 (60-64); R6 is anonymous (anonym). 1 + 1 + 1 + 1 + 1 = 5 unique participants.
        Expect("deltagare_aldersgrupp", 1m, dimension: "16-29");
        Expect("deltagare_aldersgrupp", 1m, dimension: "30-44");
        Expect("deltagare_aldersgrupp", 1m, dimension: "45-59");
        Expect("deltagare_aldersgrupp", 1m, dimension: "60-64");
        Expect("deltagare_aldersgrupp", 1m, dimension: "anonym");
        // The groups nobody is in have their rows too, at 0.
        Expect("deltagare_aldersgrupp", 0m, dimension: "under_16");
        Expect("deltagare_aldersgrupp", 0m, dimension: "65+");
        Assert.Equal(7, _kpi.Count(k => k.Key.StartsWith("deltagare_aldersgrupp/", StringComparison.Ordinal)));
        // No public support before: only R2 (ingen) of the five with a value → 1/5; K 1/3; M 0/2.
        Expect("andel_ingen_forsorjning_fore", 0.2m);
        Expect("andel_ingen_forsorjning_fore", 0.333333m, "K");
        Expect("andel_ingen_forsorjning_fore", 0m, "M");
        // After, among ended with a value: R1 lon (not public support), R3 a_kassa, R5 sjukersattning → 1/3.
        Expect("andel_ingen_forsorjning_efter", 0.333333m);
        Expect("andel_ingen_forsorjning_efter", 1m, "K");
    }

    [Fact]
    public void The_annual_reports_participant_table_reads_straight_from_the_kpis()
    {
        // In individual interventions: with personal data the persons P1–P4 in five registrations (P1 in MT and in CT);
        // anonymous R6 (K); by volume alfa-MT's January K 3 + M 2 and February K 1 + M 0. Unique participants are the
        // persons and the anonymous; all participants, as SUS and the annual reports count them, the registrations, the
        // anonymous and those by volume.
        foreach (var (kon, registreringar, personuppgifter, anonyma, volym, unika, totalt, struktur) in new[]
                 {
                     ("T", 5m, 4m, 1m, 6m, 5m, 12m, 20m), // 3 + 2 + 1 + 0 = 6 by volume; 5 + 1 + 6 = 12; structural 10 + 4 + 0 + 6 = 20
                     ("K", 3m, 2m, 1m, 4m, 3m, 8m, 10m),  // P1 twice, P3; R6; 3 + 1; 3 + 1 + 4 = 8; 10 + 0
                     ("M", 2m, 2m, 0m, 2m, 2m, 4m, 10m),  // P2 P4; 2 + 0; 2 + 0 + 2 = 4; 4 + 6
                 })
        {
            Expect("deltagare", registreringar, kon);
            Expect("deltagare_med_personuppgifter", personuppgifter, kon);
            Expect("deltagare_anonyma", anonyma, kon);
            Expect("deltagare_volym", volym, kon);
            Expect("deltagare_unika", unika, kon);
            Expect("deltagare_totalt", totalt, kon);
            Expect("deltagare_struktur", struktur, kon);
        }
        // Interventions with participants: MT and CT individual, the training days (alfa-UTB) structural.
        Expect("antal_insatser", 2m, dimension: "individ");
        Expect("antal_insatser", 1m, dimension: "struktur");
        // Per intervention: MT the persons P1 P2 P3 P4, R6 and 6 by volume = 11; CT P1 = 1; UTB 20 by volume.
        Expect("deltagare_insats", 11m, dimension: "alfa-MT");
        Expect("deltagare_insats", 1m, dimension: "alfa-CT");
        Expect("deltagare_insats", 20m, dimension: "alfa-UTB");
        Expect("deltagare_insats_budget", 40m, dimension: "alfa-MT");
        Expect("deltagare_insats_budget", 4m, dimension: "alfa-CT");
        Expect("deltagare_insats_budget", 50m, dimension: "alfa-UTB");
        // 11 / 40 = 0.275; 1 / 4 = 0.25; 20 / 50 = 0.4.
        Expect("deltagare_insats_mot_budget", 0.275m, dimension: "alfa-MT");
        Expect("deltagare_insats_mot_budget", 0.25m, dimension: "alfa-CT");
        Expect("deltagare_insats_mot_budget", 0.4m, dimension: "alfa-UTB");
    }

    [Fact]
    public void Cost_effectiveness_coverage_and_monthly_flows_match_the_hand_computed_values()
    {
        // Individual costs 132 000: per unique participant (P1–P4 and R6) / 5, per ended (R1 R3 R5) / 3, per positive exit (R1 + R3) / 2.
        Expect("kostnad_per_deltagare", 26400m);
        Expect("kostnad_per_avslutad", 44000m);
        Expect("kostnad_per_positivt_avslut", 66000m);
        // Target group 5 % of (8 000 + 2 000) = 500; 4 unique participants with personal data → 0.008.
        Expect("tackningsgrad", 0.008m);
        // Flows of registrations with personal data: January starts R3, ends R1; February starts R2, R4, ends R3, R5.
        var january = _build.Kpis("alfa", "2025-01");
        var february = _build.Kpis("alfa", "2025-02");
        Assert.Equal((1m, 1m, 2m, 2m), (january["nya_manad/T/"], january["avslutade_manad/T/"], february["nya_manad/T/"], february["avslutade_manad/T/"]));
    }

    [Fact]
    public void Year_kpis_record_the_latest_month_and_every_catalog_kpi_is_computed()
    {
        var through = _build.Session.Query("select distinct through_period from kpi where scope_id = 'alfa' and period_type = 'ar'").Rows.Single()[0];
        var computed = _build.Session.Query("select distinct kpi_id from kpi").Rows.Select(r => (string)r[0]!).ToHashSet();
        var catalog = _build.Session.Query("select kpi_id from kpi_catalog").Rows.Select(r => (string)r[0]!).ToList();

        Assert.Equal("2025-02", through);
        Assert.Equal(46, catalog.Count);
        Assert.DoesNotContain(catalog, k => !computed.Contains(k));
        Assert.Empty(_build.AssertionFailures);
    }

    [Fact]
    public void Every_value_of_a_year_through_february_is_preliminary_and_no_month_is()
    {
        // The budgeted participants are a plan for the whole year and depend on no delivered data: final.
        var statuses = _build.Session.Query("""
            select period_type, kpi_id = 'deltagare_insats_budget', status, findings, min(federations), max(federations)
            from kpi where scope_id = 'alfa' group by all order by all
            """).Rows.Select(r => ((string)r[0]!, (bool)r[1]!, (string)r[2]!, (string)r[3]!, (int)r[4]!, (int)r[5]!)).ToList();

        Assert.Equal([("ar", false, "preliminar", "", 1, 1), ("ar", true, "", "", 1, 1), ("manad", false, "", "", 1, 1)], statuses);
    }

    [Fact]
    public void County_and_national_totals_cover_the_federation()
    {
        var county = _build.Kpis("Testlän", "2025");
        var all = _build.Kpis("alla", "2025");

        Assert.Equal((400000m, 5m, 0.05m), (county["medelstilldelning/T/"]!.Value, county["deltagare_unika/T/"]!.Value, county["admin_andel_medelstilldelning/T/"]!.Value));
        Assert.Equal(county["kostnad_per_deltagare/T/"], all["kostnad_per_deltagare/T/"]);
    }

    [Fact]
    public void Nothing_is_found_and_the_equity_of_an_incomplete_year_is_not_flagged()
    {
        // Equity through February is far above 20 % of February's contributions so far, but the recommendation is about a
        // year's end against a whole year's contributions, and neither a budget of contributions nor a complete year before
        // says what those are (QualityRuleTests).
        Assert.Empty(_build.Findings());
        var flag = _build.Session.Query("select flag from kpi where kpi_id = 'eget_kapital_andel' and scope_id = 'alfa'").Rows.Single()[0];
        Assert.Equal("", flag);
    }
}
