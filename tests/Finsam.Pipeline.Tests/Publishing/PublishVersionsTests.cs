using System.Security.Cryptography;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>Versions of the samples on the local folder backend: idempotent publishing, a changed input, the manifest and the diff.</summary>
public class PublishVersionsTests : IDisposable
{
    private readonly LocalStoreFactory _stores = new();

    [Fact]
    public async Task An_export_with_no_rows_is_an_input_of_the_version_and_a_new_one_makes_a_new_version()
    {
        // February's participant export lists nobody (its header only). The models count the month as delivered, so the
        // manifest lists the file: before, only files with rows were inputs, and the version below was "unchanged".
        const string ledger = "V1;{0}-10;1930;100,00;;\nV1;{0}-10;3010;-100,00;;";
        var person = TestPersons.Number(1985, 4, 12, 101);
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", string.Format(ledger, "2025-01")).Ledger("alfa", "2025-02", string.Format(ledger, "2025-02"))
            .Ledger("alfa", "2025-03", string.Format(ledger, "2025-03"))
            .Participants("alfa", "2025-01", $"R1;{person};nej;K;;9901;alfa-MT;MT;individ;2025-01-05;2025-01-20;;;;arbete")
            .Participants("alfa", "2025-03", $"R2;{TestPersons.Number(1990, 6, 1, 202)};nej;M;;9901;alfa-MT;MT;individ;2025-03-03;;;;;");
        var versions = new DatasetVersions(scenario.Store);
        using (var build = await scenario.BuildAsync())
            await new Publisher(scenario.Store).PublishAsync(build, scenario.Options, datasets: [PublishedLayout.CuratedDataset]);
        var first = await versions.ResolveAsync(PublishedLayout.CuratedDataset, "latest");
        Assert.Equal(5, first.Inputs.Count);

        // The missing February is delivered, empty: a new version with it among the inputs.
        await scenario.Store.WriteAsync(Containers.Landing, "alfa/2025-02/deltagare.csv",
            System.Text.Encoding.UTF8.GetBytes(ModelScenario.ParticipantHeader + "\n"), WriteCondition.Overwrite);
        var ingested = await new Finsam.Pipeline.Ingestion.IngestionService(scenario.Store, new Finsam.Pipeline.Privacy.Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.Equal(Finsam.Pipeline.Ingestion.FileStatus.Accepted, Assert.Single(ingested.Files).Status);
        using (var build = await Finsam.Pipeline.Models.ModelBuild.RunAsync(scenario.Store, scenario.Options))
            await new Publisher(scenario.Store).PublishAsync(build, scenario.Options, datasets: [PublishedLayout.CuratedDataset]);
        var second = await versions.ResolveAsync(PublishedLayout.CuratedDataset, "latest");
        Assert.Equal(first.Version + 1, second.Version);
        Assert.Equal(6, second.Inputs.Count);
        var empty = Assert.Single(second.Inputs, i => i.Federation == "alfa" && i.Period == "2025-02" && i.Kind == "participants");
        Assert.Equal(64, empty.Sha256.Length);
    }

    [Fact]
    public async Task Publishing_the_same_data_twice_gives_one_version_even_from_a_fresh_build()
    {
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        var first = await world.BuildAsync();
        var published = await PublishWorld.PublishAsync(store, first);
        Assert.All(published.Datasets, d => Assert.True(d.Created));
        Assert.All(published.Datasets, d => Assert.Equal(1, d.Version));
        var again = await PublishWorld.PublishAsync(store, first);
        Assert.All(again.Datasets, d => Assert.False(d.Created));

        // Made again from a fresh build, every file comes out byte for byte the same: still no new version.
        var second = await world.BuildAsync();
        var fresh = await PublishWorld.PublishAsync(store, second, remake: true);
        Assert.All(fresh.Datasets, d => Assert.False(d.Created));
        Assert.All(fresh.Datasets, d => Assert.Equal(1, d.Version));
        foreach (var dataset in PublishedLayout.Datasets)
        {
            Assert.Equal([1], await PublishedChecks.VersionsAsync(store, dataset));
            Assert.Equal(1, await PublishedChecks.LatestCompleteAsync(store, dataset));
        }
    }

    [Fact]
    public async Task The_manifest_names_every_input_model_reference_and_output_with_its_sha256()
    {
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        var build = await world.BuildAndPublishAsync();
        var manifest = await new DatasetVersions(store).ResolveAsync(PublishedLayout.KpiDataset, "latest");

        Assert.Equal(1, manifest.Version);
        Assert.Null(manifest.PreviousVersion);
        // 4 federations × 3 months × (ledger + participants), and 5 volume exports.
        Assert.Equal(29, manifest.Inputs.Count);
        foreach (var (name, bytes) in Samples.LandingFiles())
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var input = Assert.Single(manifest.Inputs, i => i.Sha256 == sha);
            Assert.Equal(name.Split('/')[0], input.Federation);
            Assert.Equal(name.Split('/')[1], input.Period);
            Assert.Equal(name.Contains("deltagare") ? "participants" : name.Contains("volym") ? "volumes" : "ledger", input.Kind);
            Assert.NotNull(input.IngestedAt);
        }
        var kpiSql = Path.Combine(RepoPaths.Root, "queries", "kpi", "kpi.sql");
        Assert.Contains(new ManifestSource("queries/kpi/kpi.sql", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(kpiSql)))), manifest.Models);
        Assert.Contains(manifest.Models, m => m.Path == "queries/kpi_catalog.csv");
        Assert.Contains(manifest.Models, m => m.Path == "queries/small_count_relations.csv");
        var federations = Path.Combine(RepoPaths.Samples, "reference", "federations.csv");
        Assert.Contains(new ManifestSource("reference/federations.csv", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(federations)))), manifest.References);

        Assert.Equal(["kpi.csv", "kpi.parquet", "kpi_catalog.csv", "kpi_catalog.parquet", "kpi_catalog_sv.csv", "kpi_sv.csv", "nyckeltal.xlsx",
            "places.csv", "places.parquet", "places_sv.csv", "quality.csv", "quality.parquet", "quality_sv.csv", "rapport.html"], manifest.Outputs.Select(o => o.Name).Order(StringComparer.Ordinal));
        foreach (var output in manifest.Outputs)
        {
            var blob = await store.ReadAsync(Containers.Published, $"kpi/v1/{output.Name}");
            Assert.Equal(output.Sha256, Convert.ToHexStringLower(SHA256.HashData(blob.Bytes)));
            Assert.Equal(blob.Bytes.LongLength, output.Bytes);
        }
        var kpiRows = (long)build.Build.Session.Query("select count(*) from kpi").Rows[0][0]!;
        var kpiParquet = Assert.Single(manifest.Outputs, o => o.Name == "kpi.parquet");
        Assert.Equal(kpiRows, kpiParquet.Rows);
        // One marker for members: whether a value is suppressed, never why.
        Assert.Contains(new ColumnSchema("suppressed", "BOOLEAN"), kpiParquet.Schema!);
        Assert.DoesNotContain(kpiParquet.Schema!, c => c.Name == "suppression");
        Assert.True(manifest.DisclosureAudit!.Passed);
        Assert.Equal(0, manifest.DisclosureAudit.EarlierReleases);
        Assert.True(manifest.DisclosureAudit.SuppressedCells > 0);
        // The second figure, for the attacker who guesses that no hidden count is zero (docs/publishing.md): the samples'
        // federations of 12–27 participants leave that attacker many counts.
        Assert.Equal(123, manifest.DisclosureAudit.NotZeroGuessNarrowed);
        Assert.Contains(new ColumnSchema("value", "DECIMAL(38,6)"), kpiParquet.Schema!);

        var findings = build.Build.Session.Query("select severity, count(*) from quality group by all").Rows.ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        Assert.Equal(findings.GetValueOrDefault("error"), manifest.Quality.Errors);
        Assert.Equal(findings.GetValueOrDefault("warning"), manifest.Quality.Warnings);
        Assert.True(manifest.Quality.Warnings > 0);
    }

    [Fact]
    public async Task Changing_one_input_gives_v2_whose_manifest_names_the_change_and_whose_diff_lists_exactly_the_affected_kpis()
    {
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        var before = await world.BuildAndPublishAsync();
        var oldSha = Convert.ToHexStringLower(SHA256.HashData(Samples.File(PublishWorld.ChangedFile)));

        await world.ChangeEkstrandRentAsync();
        var after = await world.BuildAsync();
        var result = await PublishWorld.PublishAsync(store, after);
        Assert.All(result.Datasets, d => Assert.Equal((true, 2), (d.Created, d.Version)));

        var manifest = await new DatasetVersions(store).ResolveAsync(PublishedLayout.KpiDataset, "latest");
        Assert.Equal(1, manifest.PreviousVersion);
        var replaced = Assert.Single(manifest.Changes.InputsReplaced);
        var newSha = Assert.Single(manifest.Inputs, i => i.Federation == "ekstrand" && i.Period == "2025-02" && i.Kind == "ledger").Sha256;
        Assert.Equal($"ekstrand/2025-02/ledger {oldSha} -> {newSha}", replaced);
        Assert.Empty(manifest.Changes.InputsAdded);
        Assert.Empty(manifest.Changes.InputsRemoved);
        Assert.Empty(manifest.Changes.ModelsChanged);
        Assert.Empty(manifest.Changes.ReferencesChanged);

        // The diff of the published versions equals a direct comparison of the two builds' member tables.
        static Dictionary<string, string> Published((Finsam.Pipeline.Models.ModelBuild Build, Finsam.Pipeline.Models.ModelOptions Options) b) => b.Build.Session
            .Query("select kpi_id, scope, scope_id, period, kon, dimension, coalesce(cast(value as varchar), '') || '/' || case when suppressed then '..' else '' end || '/' || status from kpi_published")
            .Rows.ToDictionary(r => string.Join('|', r.Take(6)), r => (string)r[6]!);
        var oldRows = Published(before);
        var newRows = Published(after);
        var expected = oldRows.Keys.Union(newRows.Keys).Where(k => oldRows.GetValueOrDefault(k) != newRows.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
        var (_, _, changes) = await new VersionDiff(store).CompareAsync(PublishedLayout.KpiDataset, "v1", "v2", world.NewOptions());
        Assert.Equal(expected, changes.Select(c => string.Join('|', c.KpiId, c.Scope, c.ScopeId, c.Period, c.Kon, c.Dimension)).Order(StringComparer.Ordinal));
        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.Contains(c.ScopeId, new[] { "ekstrand", "Exempellän", "alla" }));
        var total = Assert.Single(changes, c => c.KpiId == "kostnad_total" && c.ScopeId == "ekstrand");
        Assert.Equal(1000.00m, total.NewValue - total.OldValue);
        Assert.Contains(changes, c => c.KpiId == "resultat" && c.ScopeId == "alla" && c.OldValue - c.NewValue == 1000.00m);
        Assert.DoesNotContain(changes, c => c.KpiId == "medelstilldelning");

        // Version 1 is still there, unchanged, for anyone who read it.
        var v1 = await new DatasetVersions(store).ResolveAsync(PublishedLayout.KpiDataset, "1");
        Assert.NotEqual(manifest.Outputs.Single(o => o.Name == "kpi.parquet").Sha256, v1.Outputs.Single(o => o.Name == "kpi.parquet").Sha256);
        await new DatasetVersions(store).ReadFileAsync(v1, "kpi.parquet");
    }

    public void Dispose() => _stores.Dispose();
}
