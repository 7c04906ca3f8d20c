using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions.Tests.Support;

/// <summary>
/// One app on Azurite with every sample file delivered to IngestLanding, two ticks of the BuildAndPublish timer (the
/// first publishes curated v1, the second finds nothing new) and then two of the ReleaseKpi timer (kpi v1, then
/// nothing new). Built once for the tests that read it.
/// </summary>
public sealed class PublishedApp
{
    private static readonly SemaphoreSlim Lock = new(1, 1);
    private static PublishedApp? _shared;

    private PublishedApp(FunctionsApp app) => App = app;

    public FunctionsApp App { get; }
    public IReadOnlyList<string> LogsAfterFirstTick { get; private set; } = [];
    public IReadOnlyList<string> LogsOfSecondTick { get; private set; } = [];
    public IReadOnlyList<string> LogsOfReleases { get; private set; } = [];

    public static async Task<PublishedApp> GetAsync(AzuriteFixture azurite)
    {
        await Lock.WaitAsync();
        try
        {
            return _shared ??= await CreateAsync(azurite);
        }
        finally
        {
            Lock.Release();
        }
    }

    private static async Task<PublishedApp> CreateAsync(AzuriteFixture azurite)
    {
        var app = new FunctionsApp(azurite);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "reference")))
            await app.Store.WriteAsync(Containers.Reference, Path.GetFileName(file), await File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
        await Samples.DropAllAsync(app.Store);
        var ingest = app.Function<IngestLanding>();
        foreach (var (name, _) in Samples.LandingFiles()) await ingest.Run(app.LandingBlob(name), name, CancellationToken.None);

        var published = new PublishedApp(app);
        var timer = app.Function<ScheduledBuild>();
        await timer.Run(new TimerInfo(), CancellationToken.None);
        published.LogsAfterFirstTick = app.Logs.Lines;
        await timer.Run(new TimerInfo(), CancellationToken.None);
        published.LogsOfSecondTick = app.Logs.Lines.Skip(published.LogsAfterFirstTick.Count).ToList();
        var before = app.Logs.Lines.Count;
        var release = app.Function<ScheduledRelease>();
        await release.Run(new TimerInfo(), CancellationToken.None);
        await release.Run(new TimerInfo(), CancellationToken.None);
        published.LogsOfReleases = app.Logs.Lines.Skip(before).ToList();
        return published;
    }
}
