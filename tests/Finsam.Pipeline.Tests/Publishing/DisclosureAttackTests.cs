using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// The attacks found on the member files (issue: small-count protection that holds against an attacker), each tried
/// as the attacker did, with only what the member tables publish, on a crafted data set where it worked.
/// </summary>
public class DisclosureAttackTests
{
    private static readonly string Queries = Path.Combine(RepoPaths.Root, "queries");

    private const string Ledger = "V1;2025-01-10;1930;400000,00;;\nV1;2025-01-10;3010;-200000,00;;\nV1;2025-01-10;3020;-100000,00;;\nV1;2025-01-10;3031;-100000,00;;\n" +
                                  "V2;2025-01-20;4010;50000,00;;\nV2;2025-01-20;1930;-50000,00;;";

    /// <summary>A registration line: with personal data unless anonymous; support before and exit as given.</summary>
    private static string Registration(string id, int person, string kon, string start, string? end = null, string? exit = null,
        string support = "ingen", bool anonymous = false, string insats = "alfa-MT", string? afterSupport = null) =>
        anonymous
            ? $"{id};;ja;{kon};;;{insats};Mottagningsteam;individ;{start};{end};;;;{exit}"
            : $"{id};{TestPersons.Number(1970 + person % 40, 1 + person % 12, 1 + person % 28, 100 + person)};nej;{kon};;9901;{insats};Mottagningsteam;individ;{start};{end};gymnasium;{support};{(end is null ? "" : afterSupport ?? "lon")};{exit}";

    private static async Task<ModelBuild> BuildAsync(ModelScenario scenario, IEnumerable<string> alfa, IEnumerable<string>? beta = null)
    {
        scenario.Ledger("alfa", "2025-01", Ledger).Participants("alfa", "2025-01", string.Join("\n", alfa));
        if (beta is not null) scenario.Participants("beta", "2025-01", string.Join("\n", beta));
        var build = await scenario.BuildAsync();
        Assert.Empty(build.AssertionFailures);
        PublishedTables.Create(build.Session, Queries);
        return build;
    }

    /// <summary>A value as members see it (null: suppressed, withheld or absent).</summary>
    private static decimal? Published(ModelBuild build, string column, string kpi, string scopeId, string kon = "T", string dimension = "") =>
        (decimal?)build.Session.Query($"""
            select {column} from kpi_published
            where kpi_id = '{kpi}' and scope_id = '{scopeId}' and period = '2025' and kon = '{kon}' and dimension = '{dimension}' and not suppressed
            """).Rows.SingleOrDefault()?[0];

    private static decimal? Exact(ModelBuild build, string column, string kpi, string scopeId, string kon = "T") =>
        (decimal?)build.Session.Query($"select {column} from kpi where kpi_id = '{kpi}' and scope_id = '{scopeId}' and period = '2025' and kon = '{kon}' and dimension = ''")
            .Rows.Single()[0];

    /// <summary>
    /// Attack 1: a suppressed quality finding still said "3 registreringar var aktiva …" in its text. Three registrations
    /// started in January are listed only from February on: missing from January's export.
    /// </summary>
    [Fact]
    public async Task A_suppressed_quality_finding_does_not_give_its_count_in_its_text()
    {
        using var scenario = new ModelScenario();
        var january = Enumerable.Range(1, 8).Select(i => Registration($"R{i}", i, i % 2 == 0 ? "K" : "M", "2025-01-05")).ToList();
        var late = Enumerable.Range(20, 3).Select(i => Registration($"R{i}", i, "K", "2025-01-07")).ToList();
        scenario.Participants("alfa", "2025-02", string.Join("\n", january.Concat(late)));
        using var build = await BuildAsync(scenario, january);

        var exact = build.Session.Query("select finding_id, affected_rows, detail from quality where rule_id = 'registration_missing_from_export'").Rows.Single();
        Assert.Equal(3L, exact[1]);
        Assert.Contains("3 registreringar", (string)exact[2]!);
        var member = build.Session.Query($"select affected_rows, suppressed, detail from quality_published where finding_id = '{exact[0]}'").Rows.Single();
        Assert.Null(member[0]);
        Assert.Equal(true, member[1]);
        Assert.DoesNotContain("3", (string)member[2]!);
        Assert.Equal(".. registreringar var aktiva enligt sina datum men saknas i månadens export / .. registrations were active by their dates but are missing from the month's export",
            member[2]);
    }

    /// <summary>
    /// Attack 2, the support denominator: registrations with personal data (deltagare) minus those with support before
    /// given (the denominator of andel_ingen_forsorjning_fore) is a count, and so is that denominator minus its numerator
    /// (those with public support before, such as social assistance). Here: 2 and 3 of 16.
    /// </summary>
    [Fact]
    public async Task Counts_behind_the_support_share_cannot_be_worked_out_from_its_numerator_denominator_and_the_registrations()
    {
        using var scenario = new ModelScenario();
        var rows = Enumerable.Range(1, 16).Select(i => Registration($"R{i}", i, i % 2 == 0 ? "K" : "M", "2025-01-05",
            support: i <= 2 ? "" : i <= 5 ? "forsorjningsstod" : "ingen")).ToList();
        using var build = await BuildAsync(scenario, rows);
        Assert.Equal(2, Exact(build, "value", "deltagare", "alfa") - Exact(build, "denominator", "andel_ingen_forsorjning_fore", "alfa"));
        Assert.Equal(3, Exact(build, "denominator", "andel_ingen_forsorjning_fore", "alfa") - Exact(build, "numerator", "andel_ingen_forsorjning_fore", "alfa"));

        foreach (var scope in new[] { "alfa", "Testlän", "alla" })
        {
            var registrations = Published(build, "value", "deltagare", scope);
            var known = Published(build, "denominator", "andel_ingen_forsorjning_fore", scope);
            var none = Published(build, "numerator", "andel_ingen_forsorjning_fore", scope);
            Assert.False(registrations - known is >= 1 and <= 4, $"{scope}: registrations without support before = {registrations - known}");
            Assert.False(known - none is >= 1 and <= 4, $"{scope}: registrations with public support before = {known - none}");
        }
    }

    /// <summary>
    /// Attack 2, the chain: alfa's women (2) are suppressed and its men (9) too, but every man has support before given,
    /// so the support denominator for men (published: the women's is 0 in both federations, none have it given) is the men's registrations;
    /// women = total − men; and beta's women (3) = the county's women − alfa's.
    /// </summary>
    [Fact]
    public async Task A_complement_cannot_be_recovered_through_the_support_denominator_and_then_a_small_count_of_another_federation()
    {
        using var scenario = new ModelScenario();
        var alfa = Enumerable.Range(1, 11).Select(i => Registration($"A{i}", i, i <= 2 ? "K" : "M", "2025-01-05", support: i <= 2 ? "" : "ingen")).ToList();
        var beta = Enumerable.Range(31, 12).Select(i => Registration($"B{i}", i, i <= 33 ? "K" : "M", "2025-01-05", support: i <= 33 ? "" : "ingen", insats: "beta-MT")).ToList();
        using var build = await BuildAsync(scenario, alfa, beta);
        Assert.Equal(2, Exact(build, "value", "deltagare", "alfa", "K"));
        Assert.Equal(3, Exact(build, "value", "deltagare", "beta", "K"));

        var alfaMen = Published(build, "value", "deltagare", "alfa", "M") ?? Published(build, "denominator", "andel_ingen_forsorjning_fore", "alfa", "M");
        var alfaWomen = Published(build, "value", "deltagare", "alfa", "K") ?? Published(build, "value", "deltagare", "alfa") - alfaMen;
        var betaWomen = Published(build, "value", "deltagare", "beta", "K") ?? Published(build, "value", "deltagare", "Testlän", "K") - alfaWomen;
        Assert.Null(alfaWomen);
        Assert.Null(betaWomen);
    }

    /// <summary>
    /// Attack 3, the marker: "litet_antal" said a value is 1–4 and "harledbar" that it is not. Of 6 ended registrations, 1 went
    /// to work (litet_antal), 5 to job-seeking (harledbar), none elsewhere: the marker left one possible split, 1 + 5.
    /// </summary>
    [Fact]
    public async Task The_marker_does_not_say_why_a_value_is_suppressed()
    {
        using var scenario = new ModelScenario();
        var rows = Enumerable.Range(1, 14).Select(i => Registration($"R{i}", i, "K", "2025-01-03",
            end: i <= 6 ? "2025-01-20" : null, exit: i == 1 ? "arbete" : i <= 6 ? "arbetssokande" : null)).ToList();
        using var build = await BuildAsync(scenario, rows);

        var columns = build.Session.Query("select column_name from (describe kpi_published)").Rows.Select(r => (string)r[0]!).ToList();
        Assert.DoesNotContain("suppression", columns);
        // What the attacker did: the parts of avslutade that fit the published total and each part's marker.
        var ended = Published(build, "value", "avslutade", "alfa");
        var parts = new[] { "avslut_arbete_studier_andel", "avslut_stegforflyttning_andel", "avslut_ovrigt_andel" };
        var splits = Splits(ended ?? 0, parts.Select(p => Published(build, "numerator", p, "alfa")).ToArray()).ToList();
        if (ended is not null) Assert.True(splits.Count >= 3, $"avslutade {ended} splits in {splits.Count} way(s)");
    }

    /// <summary>Every way the suppressed parts (null) can add up to the total with the published ones, each part 0 or more.</summary>
    private static IEnumerable<decimal[]> Splits(decimal total, decimal?[] parts)
    {
        var rest = total - parts.Sum(p => p ?? 0);
        var open = parts.Select((p, i) => (p, i)).Where(x => x.p is null).Select(x => x.i).ToList();
        if (open.Count == 0) { if (rest == 0) yield return parts.Select(p => p!.Value).ToArray(); yield break; }
        IEnumerable<decimal[]> Fill(int k, decimal left, decimal[] values)
        {
            if (k == open.Count - 1) { values[open[k]] = left; yield return (decimal[])values.Clone(); yield break; }
            for (var v = 0m; v <= left; v++) { values[open[k]] = v; foreach (var s in Fill(k + 1, left - v, values)) yield return s; }
        }
        if (rest < 0) yield break;
        foreach (var s in Fill(0, rest, parts.Select(p => p ?? 0).ToArray())) yield return s;
    }

    /// <summary>Attack 4: registrations with personal data minus the persons with personal data are repeat registrations (here 2).</summary>
    [Fact]
    public async Task Repeat_registrations_from_1_to_4_cannot_be_worked_out()
    {
        using var scenario = new ModelScenario();
        var rows = Enumerable.Range(1, 12).Select(i => Registration($"R{i}", i, i % 2 == 0 ? "K" : "M", "2025-01-05"))
            .Append(Registration("R91", 1, "M", "2025-01-06", insats: "alfa-CT"))
            .Append(Registration("R92", 3, "M", "2025-01-06", insats: "alfa-CT")).ToList();
        using var build = await BuildAsync(scenario, rows);
        Assert.Equal(2, Exact(build, "value", "deltagare", "alfa") - Exact(build, "value", "deltagare_med_personuppgifter", "alfa"));

        foreach (var scope in new[] { "alfa", "Testlän", "alla" })
        foreach (var kon in new[] { "T", "K", "M" })
        {
            var repeats = Published(build, "value", "deltagare", scope, kon) - Published(build, "value", "deltagare_med_personuppgifter", scope, kon);
            Assert.False(repeats is >= 1 and <= 4, $"{scope} {kon}: {repeats} repeat registrations");
        }
    }
    /// <summary>
    /// Attack 5, the interventions: kostnad_per_deltagare_insats publishes each intervention's unique participants as its
    /// denominator and deltagare_insats its participants, so the intervention's volume registrations are the difference.
    /// An intervention's unique participants are among the federation's, and its volume among the federation's, so
    /// deltagare_unika + deltagare_volym ≥ the largest intervention's unique participants + the volume of every intervention.
    /// When deltagare_totalt was defined as that sum (before December 2026; now it adds registrations, as the annual reports
    /// do, and is at least that sum) this was an equality in the samples (aspdalen: 43 ≥ 22 + (43 − 22)), which pinned the
    /// suppressed deltagare_unika (22) and deltagare_volym (21) of aspdalen and ekstrand, and through them the county's.
    /// </summary>
    [Fact]
    public async Task Unique_and_volume_participants_cannot_be_pinned_through_the_interventions()
    {
        using var stores = new LocalStoreFactory();
        using var world = await PublishWorld.SamplesAsync(stores.Create());
        var (build, _) = await world.BuildAsync();
        var audit = PublishedTables.Create(build.Session, Queries);

        foreach (var federation in new[] { "aspdalen", "bjorkvik", "ekstrand", "granmo" })
        {
            var insatser = build.Session.Query($"""
                select p.denominator, d.value from kpi_published as p
                join kpi_published as d on d.kpi_id = 'deltagare_insats' and d.scope_id = p.scope_id and d.period = p.period and d.dimension = p.dimension
                where p.kpi_id = 'kostnad_per_deltagare_insats' and p.scope_id = '{federation}' and p.period = '2025' and not p.suppressed and not d.suppressed
                """).Rows.Select(r => (Unique: (decimal)r[0]!, All: (decimal)r[1]!)).ToList();
            var total = Published(build, "value", "deltagare_totalt", federation);
            if (insatser.Count == 0 || total is null) continue;
            var uniqueAtLeast = insatser.Max(i => i.Unique);
            var volumeAtLeast = insatser.Sum(i => i.All - i.Unique);
            var unique = Published(build, "value", "deltagare_unika", federation);
            var volume = Published(build, "value", "deltagare_volym", federation);
            Assert.True(unique is not null || volume is not null || uniqueAtLeast + volumeAtLeast < total,
                $"{federation}: deltagare_unika = {uniqueAtLeast} and deltagare_volym = {volumeAtLeast} (deltagare_totalt {total})");
        }
        Assert.True(audit.Passed);
    }
    /// <summary>
    /// Attack 6, the age finding: age_outside_target_group gives the registrations of participants over 64 (or under 16)
    /// as its count, which is the age group's count of deltagare_aldersgrupp when each has one registration. Here 60-64
    /// holds 2 persons (suppressed), and 65+ (5, the smallest other group) is hidden as its complement; the finding said
    /// "5 registreringar med ålder över 64", so 65+ = 5 and 60-64 = deltagare_unika − the other groups = 2.
    /// </summary>
    [Fact]
    public async Task The_age_finding_does_not_give_a_suppressed_age_group()
    {
        using var scenario = new ModelScenario();
        var born = new[] { (2000, 12), (1988, 11), (1972, 10), (1962, 2), (1955, 5) };
        var rows = new List<string>();
        var person = 1;
        foreach (var (year, count) in born)
            for (var i = 0; i < count; i++, person++)
                rows.Add($"R{person};{TestPersons.Number(year, 1 + person % 12, 1 + person % 28, 100 + person)};nej;{(person % 2 == 0 ? "K" : "M")};;9901;alfa-MT;Mottagningsteam;individ;2025-01-05;;gymnasium;ingen;;");
        using var build = await BuildAsync(scenario, rows);
        Assert.Equal(2m, (decimal?)build.Session.Query("select value from kpi where kpi_id = 'deltagare_aldersgrupp' and scope_id = 'alfa' and dimension = '60-64'").Rows.Single()[0]);

        // What the attacker did: the finding's count for a suppressed age group, then the sum of the age groups.
        var groups = build.Session.Query("""
            select dimension, value, suppressed from kpi_published
            where kpi_id = 'deltagare_aldersgrupp' and scope_id = 'alfa' and period = '2025' and kon = 'T'
            """).Rows.Select(r => (Group: (string)r[0]!, Value: (decimal?)r[1], Suppressed: (bool)r[2]!)).ToList();
        var findings = build.Session.Query("""
            select split_part(finding_id, ':', 4), affected_rows from quality_published q
            where q.rule_id = 'age_outside_target_group' and q.federation_id = 'alfa' and q.affected_rows is not null
            """).Rows.ToDictionary(r => (string)r[0]!, r => Convert.ToDecimal(r[1]));
        var known = groups.ToDictionary(g => g.Group, g => g.Value ?? (findings.TryGetValue(g.Group, out var n) ? n : null));
        var unique = Published(build, "value", "deltagare_unika", "alfa");
        foreach (var g in groups.Where(g => g.Suppressed))
        {
            var others = known.Where(k => k.Key != g.Group).Select(k => k.Value).ToList();
            var derived = unique is null || others.Any(v => v is null) ? null : unique - others.Sum();
            Assert.True(derived is null && known[g.Group] is null, $"deltagare_aldersgrupp {g.Group} = {known[g.Group] ?? derived}");
        }
    }
}
