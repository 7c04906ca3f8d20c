using System.Text;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// A small world for the SQL models: reference files and monthly exports are written to a fresh
/// local store, ingested by the real pipeline, and the real queries/ project is built over them.
/// </summary>
public sealed class ModelScenario : IDisposable
{
    public const string ParticipantHeader = "registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak";
    public const string LedgerHeader = "verifikation;datum;konto;belopp;objekt;text";
    public const string VolumeHeader = "insats_id;insats_typ;manad;kon;antal";

    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string> _reference = new()
    {
        ["federations.csv"] = "federation_id;namn;org_nr;lan;medlemskommuner\nalfa;Samordningsförbundet Alfa;;Testlän;9901|9902\nbeta;Samordningsförbundet Beta;;Testlän;9903\n",
        ["account_mapping.csv"] = """
            federation_id;konto_fran;konto_till;objekt;kategori;medlem
            *;1000;1999;;ovrigt_balans;
            *;2000;2099;;eget_kapital;
            *;2100;2999;;ovrigt_balans;
            *;3000;3999;;ovriga_intakter;
            *;3010;3010;;bidrag_stat;stat
            *;3020;3020;;bidrag_region;region
            alfa;3031;3031;;bidrag_kommun;9901
            alfa;3032;3032;;bidrag_kommun;9902
            beta;3031;3031;;bidrag_kommun;9903
            *;3500;3599;;extra_medel;
            *;4000;5999;;individinriktade_insatser;
            *;4500;4599;;strukturovergripande_insatser;
            *;6000;7999;;administration;
            *;6110;6110;;individinriktade_insatser;
            *;8000;8499;;finansiella_intakter;
            *;8500;8999;;finansiella_kostnader;
            """ + "\n",
        ["population.csv"] = "kommun;ar;befolkning_16_64\n9901;2025;8000\n9902;2025;2000\n9903;2025;4000\n",
        ["insatser.csv"] = "federation_id;insats_id;namn;typ;huvudman;objekt\nalfa;alfa-MT;Mottagningsteam;MT;Region Test;1:MT\nalfa;alfa-CT;Coachingteam;CT;Kommun 9901;1:CT\n",
        ["budget.csv"] = "federation_id;ar;kategori;belopp\nalfa;2025;individinriktade_insatser;600000\nalfa;2025;administration;100000\n",
    };
    private readonly List<(string Name, string Text)> _landing = [];

    public LocalFolderBlobStore Store { get; }

    /// <summary>The options of the scenario's builds (the real queries/ project, a work folder of its own).</summary>
    public ModelOptions Options { get; }

    public ModelScenario()
    {
        Store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        Options = new ModelOptions(Path.Combine(RepoPaths.Root, "queries"), Path.Combine(_folder.Path, "work")) { Threads = 2 };
    }

    public ModelScenario Reference(string file, string csv)
    {
        _reference[file] = csv.Replace("\r\n", "\n") + (csv.EndsWith('\n') ? "" : "\n");
        return this;
    }

    public ModelScenario AppendMapping(string lines) => Reference("account_mapping.csv", _reference["account_mapping.csv"] + lines.Trim() + "\n");

    public ModelScenario Ledger(string federation, string period, string rows) =>
        Drop($"{federation}/{period}/huvudbok.csv", LedgerHeader + "\n" + rows.Trim());

    /// <summary>A SIE 4 ledger: the test header (Support.Sie.Header) for the period's year, then <paramref name="body"/> (ASCII).</summary>
    public ModelScenario SieLedger(string federation, string period, string body) =>
        Drop($"{federation}/{period}/huvudbok.se", Sie.Header(year: int.Parse(period[..4])) + "\n" + body.Trim());

    public ModelScenario Participants(string federation, string period, string rows) =>
        Drop($"{federation}/{period}/deltagare.csv", ParticipantHeader + "\n" + rows.Trim());

    public ModelScenario Volumes(string federation, string period, string rows) =>
        Drop($"{federation}/{period}/volym.csv", VolumeHeader + "\n" + rows.Trim());

    private ModelScenario Drop(string name, string text)
    {
        _landing.Add((name, text + "\n"));
        return this;
    }

    public async Task<ModelBuild> BuildAsync()
    {
        foreach (var (file, csv) in _reference)
            await Store.WriteAsync(Containers.Reference, file, Encoding.UTF8.GetBytes(csv), WriteCondition.Overwrite);
        foreach (var (name, text) in _landing)
            await Store.WriteAsync(Containers.Landing, name, Encoding.UTF8.GetBytes(text), WriteCondition.Overwrite);
        var summary = await new IngestionService(Store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        var rejected = summary.Files.Where(f => f.Status != FileStatus.Accepted).ToList();
        if (rejected.Count > 0) throw new InvalidOperationException("Scenario input was not accepted: " + string.Join("; ", rejected.Select(r => $"{r.LandingName}: {r.Message}")));
        return await ModelBuild.RunAsync(Store, Options);
    }

    public void Dispose() => _folder.Dispose();
}

public static class ModelBuildQueries
{
    /// <summary>KPI values of one level and period, keyed "kpi_id/kon/dimension".</summary>
    public static Dictionary<string, decimal?> Kpis(this ModelBuild build, string scopeId, string period) =>
        build.Session.Query($"select kpi_id, kon, dimension, value from kpi where scope_id = '{scopeId}' and period = '{period}'")
            .Rows.ToDictionary(r => $"{r[0]}/{r[1]}/{r[2]}", r => (decimal?)r[3]);

    public static List<(string Federation, int? Year, string? Period, string Rule, string Severity, long Rows)> Findings(this ModelBuild build) =>
        build.Session.Query("select federation_id, year, period, rule_id, severity, affected_rows from quality order by all")
            .Rows.Select(r => ((string)r[0]!, (int?)r[1], (string?)r[2], (string)r[3]!, (string)r[4]!, Convert.ToInt64(r[5]))).ToList();
}
