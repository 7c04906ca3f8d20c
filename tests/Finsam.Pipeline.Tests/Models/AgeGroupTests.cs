using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>
/// Age groups from the exact age at the start, computed at ingestion from the identity number's date of birth:
/// across a birthday, outside the target group (a warning), anonymous participants, and registrations curated before
/// the age was kept (read with the age unknown).
/// </summary>
public class AgeGroupTests(AgeGroupTests.Scenario world) : IClassFixture<AgeGroupTests.Scenario>
{
    private static readonly string BirthdayAfterStart = TestPersons.Number(1995, 1, 20, 101); // 29 on 2025-01-10, 30 from 2025-01-20
    private static readonly string BirthdayBeforeStart = TestPersons.Number(1995, 1, 5, 102); // 30 on 2025-01-10
    private static readonly string Fifteen = TestPersons.Number(2010, 1, 11, 103);            // 14 on 2025-01-10
    private static readonly string SixtyFive = TestPersons.Number(1960, 1, 9, 104);            // 65 on 2025-01-10
    private static readonly string SixtyFour = TestPersons.Number(1960, 6, 9, 105);            // 64 on 2025-01-10

    public sealed class Scenario : BuiltScenario
    {
        protected override async Task ArrangeAsync()
        {
            // Beta's January registrations were curated before the age was kept: fodelsear, no alder_start.
            using (var old = new TempFolder())
            {
                var file = Path.Combine(old.Path, "data.parquet");
                DuckDb.Query($"""
                    copy (select 'B1' as registrering_id, repeat('a', 64) as person_pseudonym, false as anonym, 'K' as kon, 1990 as fodelsear,
                        '9903' as kommun, 'beta-MT' as insats_id, 'Mottagningsteam' as insats_namn, 'individ' as insats_typ,
                        date '2025-01-02' as startdatum, cast(null as date) as slutdatum, 'gymnasium' as utbildning, 'sjukpenning' as forsorjning_fore,
                        cast(null as varchar) as forsorjning_efter, cast(null as varchar) as avslutsorsak, repeat('0', 64) as source_sha256, 2 as source_line)
                    to '{file}' (format parquet)
                    """);
                await Scenario.Store.WriteAsync(Containers.Curated, "registrations/federation=beta/period=2025-01/data.parquet", await File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
            }
            Scenario.Participants("alfa", "2025-01", $"""
                A1;{BirthdayAfterStart};nej;K;;9901;alfa-MT;MT;individ;2025-01-10;;;;;
                A7;{BirthdayAfterStart};nej;K;;9901;alfa-CT;CT;individ;2025-01-25;;;;;
                A2;{BirthdayBeforeStart};nej;M;;9901;alfa-MT;MT;individ;2025-01-10;;;;;
                A3;{Fifteen};nej;M;;9901;alfa-MT;MT;individ;2025-01-10;;;;;
                A4;{SixtyFive};nej;K;;9901;alfa-MT;MT;individ;2025-01-10;;;;;
                A5;{SixtyFour};nej;M;;9901;alfa-MT;MT;individ;2025-01-10;;;;;
                A6;;ja;K;;;alfa-MT;MT;individ;2025-01-10;;;;;
                """);
        }
    }

    private readonly ModelBuild _build = world.Build;

    private Dictionary<string, decimal?> Groups(string scopeId) => _build.Kpis(scopeId, "2025")
        .Where(k => k.Key.StartsWith("deltagare_aldersgrupp/T/", StringComparison.Ordinal))
        .ToDictionary(k => k.Key["deltagare_aldersgrupp/T/".Length..], k => k.Value);

    [Fact]
    public void Each_person_counts_once_in_the_group_of_the_exact_age_at_the_first_start()
    {
        // A1/A7 is one person, 29 at A1's start (2025 − 1995 = 30 would put her a group too old) and 30 at A7's: 16-29 once.
        // A2 30 (30-44), A3 14 (under_16), A4 65 (65+), A5 64 (60-64), A6 anonymous. 6 groups of 1 = 6 unique participants;
        // 45-59 has nobody, and has its row (0) all the same: a row only where someone is would say a hidden group is not empty.
        Assert.Equal(new Dictionary<string, decimal?>
        {
            ["16-29"] = 1m, ["30-44"] = 1m, ["45-59"] = 0m, ["under_16"] = 1m, ["60-64"] = 1m, ["65+"] = 1m, ["anonym"] = 1m,
        }, Groups("alfa"));
        Assert.Equal(6m, _build.Kpis("alfa", "2025")["deltagare_unika/T/"]);
        Assert.Empty(_build.AssertionFailures);
    }

    [Fact]
    public void Registrations_curated_before_the_age_was_kept_are_read_with_the_age_unknown()
    {
        // Beta's one participant has an unknown age: 'okand' 1, and the seven groups every level has, at 0.
        var beta = Groups("beta");
        Assert.Equal((8, 1m, 1m), (beta.Count, beta["okand"], beta.Values.Sum()));
        // The county: alfa's six groups and beta's unknown age; 7 unique participants.
        var county = Groups("Testlän");
        Assert.Equal((8, 1m, 7m), (county.Count, county["okand"], county.Values.Sum()));
    }

    [Fact]
    public void Participants_outside_the_target_group_are_a_warning()
    {
        var findings = _build.Findings().Where(f => f.Rule == "age_outside_target_group").ToList();
        Assert.Equal([("alfa", (int?)2025, (string?)null, "age_outside_target_group", "warning", 1L), ("alfa", 2025, null, "age_outside_target_group", "warning", 1L)], findings);
        var details = _build.Session.Query("select detail from quality where rule_id = 'age_outside_target_group' order by detail").Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal("1 registreringar med ålder under 16 år vid start (utanför målgruppen 16–64) / 1 registrations of participants under 16 at the start (outside the target group 16–64)", details[0]);
        Assert.StartsWith("1 registreringar med ålder över 64 år", details[1]);
    }
}
