using System.Globalization;
using System.Text;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// A county shaped like the ones the joint controller function serves, made deterministically (issue: member releases that
/// keep what members need): four federations in one county with a full year of monthly exports, 2025 — 72, 221, 243 and 263
/// registrations with personal data (0, 4, 28 and 76 anonymous ones), two federations registering 86 and 163 participants by
/// volume and one of them also 332 at a structural intervention, exits over eight or nine outcomes, one federation missing
/// one month's participant export — and a fifth federation in another county that delivers finance only. Every federation
/// delivers its ledger every month. All identity numbers are fictitious (<see cref="TestPersons"/>).
/// </summary>
public static class CountyData
{
    /// <summary>Örebro län by Kolada's region id, as every file and the API name it; the federations write it in each of the ways the controller may.</summary>
    public const string County = "0018", CountyName = "Örebro län";
    /// <summary>Västmanlands län, written by its code.</summary>
    public const string OtherCounty = "0019";
    public const int Year = 2025;

    /// <param name="County">The county as reference/federations.csv writes it: its code, Kolada's region id or its name, in any case.</param>
    /// <summary>A federation of the county: registrations with personal data, anonymous ones, volume counts, structural volume.</summary>
    public sealed record Federation(string Id, string Name, string County, string[] Municipalities, int Registrations, int Anonymous,
        int Volume, int StructuralVolume, string? MissingMonth, bool ParticipantData = true);

    public static IReadOnlyList<Federation> Federations { get; } =
    [
        new("lindby", "Samordningsförbundet Lindby", "18", ["9921", "9922"], 72, 0, 0, 0, null),
        new("mossa", "Samordningsförbundet Mossa", "Örebro län", ["9923", "9924", "9925"], 221, 4, 86, 0, "2025-06"),
        new("norrang", "Samordningsförbundet Norräng", County, ["9926", "9927"], 243, 28, 0, 0, null),
        new("oxhalla", "Samordningsförbundet Oxhalla", " ÖREBRO LÄN", ["9928", "9929", "9930"], 263, 76, 163, 332, null),
        new("sydvik", "Samordningsförbundet Sydvik", "19", ["9931"], 0, 0, 0, 0, null, ParticipantData: false),
    ];

    /// <summary>The exits' outcomes and how often each comes (felregistrering left out: a registration error is no exit).</summary>
    private static readonly (string Code, int Weight)[] Outcomes =
    [
        ("arbete", 14), ("arbete_med_stod", 9), ("studier", 10), ("arbetssokande", 18), ("ordinarie_insats", 12),
        ("fortsatt_rehabilitering", 16), ("ohalsa", 8), ("flytt", 3), ("annat", 5),
    ];

    private static readonly string[] Support = ["forsorjningsstod", "aktivitetsstod", "sjukpenning", "aktivitetsersattning", "a_kassa", "ingen"];

    /// <summary>Every file: reference/… and landing/{federation}/{yyyy-MM}/…, by container-relative name.</summary>
    public static IReadOnlyList<(string Container, string Name, string Text)> Files()
    {
        var files = new List<(string, string, string)>
        {
            (Containers.Reference, "federations.csv", FederationsCsv()),
            (Containers.Reference, "account_mapping.csv", MappingCsv()),
            (Containers.Reference, "insatser.csv", InsatserCsv()),
            (Containers.Reference, "population.csv", PopulationCsv()),
        };
        foreach (var federation in Federations)
        {
            var registrations = federation.ParticipantData ? Registrations(federation) : [];
            for (var month = 1; month <= 12; month++)
            {
                var period = $"{Year}-{month:D2}";
                files.Add((Containers.Landing, $"{federation.Id}/{period}/huvudbok.csv", Ledger(federation, month)));
                if (!federation.ParticipantData || period == federation.MissingMonth) continue;
                files.Add((Containers.Landing, $"{federation.Id}/{period}/deltagare.csv", ParticipantExport(registrations, month)));
                if (federation.Volume + federation.StructuralVolume > 0)
                    files.Add((Containers.Landing, $"{federation.Id}/{period}/volym.csv", VolumeExport(federation, month)));
            }
        }
        return files;
    }

    /// <summary>Writes every file into the store, landing last.</summary>
    public static Task WriteAsync(IBlobStore store) => WriteAsync(store, _ => true);

    /// <summary>Writes the reference files into the store: the county before any federation delivers.</summary>
    public static Task WriteReferenceAsync(IBlobStore store) => WriteAsync(store, f => f.Container == Containers.Reference);

    /// <summary>The federations deliver the months <paramref name="from"/>–<paramref name="through"/>: their landing files are written into
    /// the store. Returns how many.</summary>
    public static Task<int> DeliverAsync(IBlobStore store, int from, int through) =>
        WriteAsync(store, f => f.Container == Containers.Landing && Month(f.Name) >= from && Month(f.Name) <= through);

    /// <summary>Writes the files <paramref name="which"/> chooses into the store, in <see cref="Files"/>' order; returns how many.</summary>
    private static async Task<int> WriteAsync(IBlobStore store, Func<(string Container, string Name, string Text), bool> which)
    {
        var written = 0;
        foreach (var (container, name, text) in Files().Where(which))
        {
            await store.WriteAsync(container, name, Encoding.UTF8.GetBytes(text), WriteCondition.Overwrite);
            written++;
        }
        return written;
    }

    /// <summary>The month of a landing file's name ({federation}/{yyyy-MM}/…).</summary>
    public static int Month(string landingName) => int.Parse(landingName.Split('/')[1][5..], CultureInfo.InvariantCulture);

    private sealed record Registration(string Id, string? Person, string Kon, string Kommun, string InsatsId, string InsatsName,
        DateOnly Start, DateOnly? End, string Utbildning, string SupportBefore, string? SupportAfter, string? Outcome);

    /// <summary>
    /// The federation's registrations active in 2025: with personal data (some persons in two interventions, one after the
    /// other), then anonymous ones. About a fifth started in 2024; about three in five end within the year.
    /// </summary>
    private static List<Registration> Registrations(Federation federation)
    {
        var random = new Random(federation.Id.Aggregate(17, (h, c) => h * 31 + c));
        var list = new List<Registration>();
        var prefix = federation.Id[..2].ToUpperInvariant();
        var serial = 0;
        Registration Make(string? person, string kon, bool anonymous)
        {
            var insats = random.Next(100) < 65 ? "MT" : "CT";
            var start = random.Next(100) < 20
                ? new DateOnly(Year - 1, random.Next(6, 13), random.Next(1, 29))
                : new DateOnly(Year, random.Next(1, 13), random.Next(1, 29));
            DateOnly? end = null;
            string? outcome = null;
            if (random.Next(100) < 62)
            {
                var e = start.AddDays(random.Next(30, 300));
                if (e.Year == Year && e >= new DateOnly(Year, 1, 1))
                {
                    end = e;
                    outcome = Pick(random, Outcomes);
                }
            }
            var kommun = federation.Municipalities[random.Next(federation.Municipalities.Length)];
            return new Registration($"{prefix}-{++serial:D4}", person, kon, kommun, $"{federation.Id}-{insats}",
                insats == "MT" ? "Mottagningsteam" : "Coachingteam", start, end,
                anonymous ? "" : ParticipantUtbildning(random), anonymous ? "" : Support[random.Next(Support.Length)],
                end is null || anonymous ? null : Support[random.Next(Support.Length)], outcome);
        }
        var persons = 0;
        while (list.Count < federation.Registrations)
        {
            persons++;
            var kon = random.Next(100) < 56 ? "K" : "M";
            var birth = new DateOnly(random.Next(1961, 2008), random.Next(1, 13), random.Next(1, 29));
            var person = TestPersons.Number(birth.Year, birth.Month, birth.Day, (persons * 7 + federation.Id.Length) % 999 + 1);
            var first = Make(person, kon, anonymous: false);
            list.Add(first);
            // About one person in eight goes on from the reception team to the coaching team.
            if (list.Count < federation.Registrations && first.End is { } ended && first.InsatsId.EndsWith("MT", StringComparison.Ordinal) && random.Next(8) == 0)
                list.Add(first with
                {
                    Id = $"{prefix}-{++serial:D4}", InsatsId = $"{federation.Id}-CT", InsatsName = "Coachingteam", Start = ended.AddDays(1),
                    End = null, Outcome = null, SupportAfter = null,
                });
        }
        for (var i = 0; i < federation.Anonymous; i++) list.Add(Make(null, random.Next(100) < 60 ? "K" : "M", anonymous: true));
        return list;
    }

    private static string ParticipantUtbildning(Random random) => new[] { "grundskola", "gymnasium", "eftergymnasial", "saknas" }[random.Next(4)];

    private static string Pick(Random random, (string Code, int Weight)[] weighted)
    {
        var at = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (code, weight) in weighted)
            if ((at -= weight) < 0) return code;
        return weighted[^1].Code;
    }

    /// <summary>The registrations active at any time in the month, as the source system shows them at the month's end.</summary>
    private static string ParticipantExport(List<Registration> registrations, int month)
    {
        var first = new DateOnly(Year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var text = new StringBuilder(ModelScenario.ParticipantHeader).Append('\n');
        foreach (var r in registrations.Where(r => r.Start <= last && (r.End is null || r.End >= first)))
        {
            var ended = r.End is { } end && end <= last;
            text.Append(string.Join(';',
                r.Id, r.Person ?? "", r.Person is null ? "ja" : "nej", r.Kon, "", r.Person is null ? "" : r.Kommun, r.InsatsId, r.InsatsName, "individ",
                r.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ended ? r.End!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
                r.Utbildning, r.SupportBefore, ended ? r.SupportAfter ?? "" : "", ended ? r.Outcome : "")).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The month's volume counts by gender: the year's total spread over the months.</summary>
    private static string VolumeExport(Federation federation, int month)
    {
        var text = new StringBuilder(ModelScenario.VolumeHeader).Append('\n');
        void Add(string insats, string typ, int yearTotal)
        {
            if (yearTotal == 0) return;
            var monthTotal = yearTotal / 12 + (month <= yearTotal % 12 ? 1 : 0);
            var women = (monthTotal * 3 + month % 2) / 5;
            text.Append($"{insats};{typ};{Year}-{month:D2};K;{women}\n{insats};{typ};{Year}-{month:D2};M;{monthTotal - women}\n");
        }
        Add($"{federation.Id}-RAD", "individ", federation.Volume);
        Add($"{federation.Id}-UTB", "struktur", federation.StructuralVolume);
        return text.ToString();
    }

    /// <summary>A month of the ledger: the members' contributions (state ½, region ¼, municipalities ¼) and the costs.</summary>
    private static string Ledger(Federation federation, int month)
    {
        var size = Math.Max(60, federation.Registrations + federation.Anonymous);
        var contributions = size * 1500m;
        var text = new StringBuilder(ModelScenario.LedgerHeader).Append('\n');
        var day = $"{Year}-{month:D2}-05";
        if (month == 1)
            text.Append($"IB;{Year}-01-01;1930;{Money(contributions * 2)};;\nIB;{Year}-01-01;2010;{Money(-contributions * 2)};;\n");
        text.Append($"V1;{day};1930;{Money(contributions)};;\nV1;{day};3010;{Money(-contributions / 2)};;\nV1;{day};3020;{Money(-contributions / 4)};;\n");
        var perMunicipality = contributions / 4 / federation.Municipalities.Length;
        for (var i = 0; i < federation.Municipalities.Length; i++)
            text.Append($"V1;{day};{3031 + i};{Money(-perMunicipality)};;\n");
        var individual = contributions * 0.7m;
        var administration = contributions * 0.2m;
        text.Append($"V2;{day};4010;{Money(individual / 2)};1:MT;\nV2;{day};4010;{Money(individual / 2)};1:CT;\n");
        text.Append($"V2;{day};6410;{Money(administration)};;\nV2;{day};1930;{Money(-individual - administration)};;\n");
        return text.ToString();
    }

    private static string Money(decimal amount) => Math.Round(amount, 2).ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');

    private static string FederationsCsv() =>
        "federation_id;namn;org_nr;lan;medlemskommuner\n" +
        string.Concat(Federations.Select(f => $"{f.Id};{f.Name};;{f.County};{string.Join('|', f.Municipalities)}\n"));

    private static string MappingCsv() =>
        """
        federation_id;konto_fran;konto_till;objekt;kategori;medlem
        *;1000;1999;;ovrigt_balans;
        *;2000;2099;;eget_kapital;
        *;2100;2999;;ovrigt_balans;
        *;3000;3999;;ovriga_intakter;
        *;3010;3010;;bidrag_stat;stat
        *;3020;3020;;bidrag_region;region
        *;4000;5999;;individinriktade_insatser;
        *;6000;7999;;administration;
        """ + "\n" + string.Concat(Federations.SelectMany(f => f.Municipalities.Select((m, i) => $"{f.Id};{3031 + i};{3031 + i};;bidrag_kommun;{m}\n")));

    private static string InsatserCsv() =>
        "federation_id;insats_id;namn;typ;huvudman;objekt;budget_deltagare\n" +
        string.Concat(Federations.Where(f => f.ParticipantData).Select(f =>
            $"{f.Id};{f.Id}-MT;Mottagningsteam;MT;Region Mellan;1:MT;{f.Registrations / 2}\n" +
            $"{f.Id};{f.Id}-CT;Coachingteam;CT;Kommun {f.Municipalities[0]};1:CT;{f.Registrations / 3}\n" +
            (f.Volume > 0 ? $"{f.Id};{f.Id}-RAD;Rådgivning;projekt;Samordningsförbundet;;\n" : "") +
            (f.StructuralVolume > 0 ? $"{f.Id};{f.Id}-UTB;Utbildningsdagar;struktur;Samordningsförbundet;;\n" : "")));

    private static string PopulationCsv() =>
        "kommun;ar;befolkning_16_64\n" + string.Concat(Federations.SelectMany(f => f.Municipalities).Select((m, i) => $"{m};{Year};{8000 + i * 1700}\n"));
}
