using System.Text;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// The samples ingested into a store, with builds of the real queries/ project over them (each in its own
/// work folder, so several can publish at once) and one controlled change to an input file.
/// </summary>
public sealed class PublishWorld : IDisposable
{
    /// <summary>The sample file that <see cref="ChangeEkstrandRentAsync"/> replaces.</summary>
    public const string ChangedFile = "ekstrand/2025-02/ekstrand-huvudbok-2025-02.csv";

    private readonly TempFolder _work = new();
    private readonly List<ModelBuild> _builds = [];

    private PublishWorld(IBlobStore store) => Store = store;

    public IBlobStore Store { get; }

    public static async Task<PublishWorld> SamplesAsync(IBlobStore store)
    {
        await Samples.IngestAllAsync(store);
        return new PublishWorld(store);
    }

    public ModelOptions NewOptions() =>
        new(Path.Combine(RepoPaths.Root, "queries"), Path.Combine(_work.Path, Guid.NewGuid().ToString("N")[..8])) { Threads = 2 };

    /// <summary>A build of the current data in a fresh work folder; the world disposes it.</summary>
    public async Task<(ModelBuild Build, ModelOptions Options)> BuildAsync()
    {
        var options = NewOptions();
        var build = await ModelBuild.RunAsync(Store, options);
        _builds.Add(build);
        Assert.Empty(build.AssertionFailures);
        return (build, options);
    }

    /// <summary>Builds the current data and publishes it; returns the build.</summary>
    public async Task<(ModelBuild Build, ModelOptions Options)> BuildAndPublishAsync()
    {
        var build = await BuildAsync();
        await PublishAsync(Store, build);
        return build;
    }

    /// <summary>Publishes a build; with <paramref name="remake"/> every file is made again even when the sources are unchanged.</summary>
    public static Task<PublishResult> PublishAsync(IBlobStore store, (ModelBuild Build, ModelOptions Options) build, bool remake = false) =>
        new Publisher(store) { TrustUnchangedSources = !remake }.PublishAsync(build.Build, build.Options);

    /// <summary>Ekstrand's February rent (voucher B101) goes from 18 000 to 19 000 kr: a new export of that month is dropped and ingested.</summary>
    public async Task ChangeEkstrandRentAsync()
    {
        var text = Encoding.UTF8.GetString(Samples.File(ChangedFile));
        var changed = text.Replace("B101;2025-02-02;6110;18000,00", "B101;2025-02-02;6110;19000,00")
                          .Replace("B101;2025-02-02;1930;-18000,00", "B101;2025-02-02;1930;-19000,00");
        Assert.NotEqual(text, changed);
        await Store.WriteAsync(Containers.Landing, ChangedFile, Encoding.UTF8.GetBytes(changed), WriteCondition.Overwrite);
        var summary = await new IngestionService(Store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.Equal(FileStatus.Accepted, Assert.Single(summary.Files).Status);
    }

    public void Dispose()
    {
        _builds.ForEach(b => b.Dispose());
        _work.Dispose();
    }
}

/// <summary>Checks on what is in the published container.</summary>
public static class PublishedChecks
{
    /// <summary>The committed version numbers of a dataset, oldest first.</summary>
    public static async Task<List<int>> VersionsAsync(IBlobStore store, string dataset) =>
        (await new DatasetVersions(store).ListAsync(dataset)).Select(m => m.Version).ToList();

    /// <summary>The version latest.json names, after checking that every file of it is there with the manifest's SHA-256.</summary>
    public static async Task<int> LatestCompleteAsync(IBlobStore store, string dataset)
    {
        var versions = new DatasetVersions(store);
        var manifest = await versions.ResolveAsync(dataset, "latest");
        foreach (var output in manifest.Outputs) await versions.ReadFileAsync(manifest, output.Name);
        return manifest.Version;
    }
}
