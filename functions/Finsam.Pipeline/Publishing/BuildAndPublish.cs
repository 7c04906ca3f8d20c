using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Publishing;

public enum BuildAndPublishStatus
{
    /// <summary>At least one dataset got a new version.</summary>
    Published,
    /// <summary>Nothing changed since the latest versions; nothing was written.</summary>
    Unchanged,
    /// <summary>An assertion failed; nothing was published.</summary>
    AssertionsFailed,
}

public sealed record BuildAndPublishResult(BuildAndPublishStatus Status, PublishResult? Publication, IReadOnlyList<AssertionFailure> AssertionFailures)
{
    public string Describe() => Status switch
    {
        BuildAndPublishStatus.AssertionsFailed => $"nothing published: {AssertionFailures.Count} assertion(s) failed ({string.Join(", ", AssertionFailures.Select(f => f.RelativePath))})",
        _ => string.Join("; ", Publication!.Datasets.Select(d => d.Describe())),
    };
}

/// <summary>
/// The scheduled job of every host: when anything is new since the latest versions, build the models, check the
/// assertions, publish the kpi and curated datasets, and apply retention. A run with nothing new ends at once.
/// </summary>
public sealed class BuildAndPublish(Publisher publisher, ModelBuilder builder, IOptions<FinsamOptions> options, ILogger<BuildAndPublish>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<BuildAndPublishResult> RunAsync(IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var settings = options.Value.Publishing;
        var retention = new RetentionPolicy(settings.KeepLast, settings.KeepDays is { } days ? TimeSpan.FromDays(days) : null);
        if (await publisher.UnchangedSinceLatestAsync(builder.Options.QueriesFolder, retention, ct) is { } latest)
        {
            _logger.LogInformation("Build and publish: unchanged, nothing new since the latest versions");
            return new BuildAndPublishResult(BuildAndPublishStatus.Unchanged, latest, []);
        }
        using var build = await builder.BuildAsync(progress, saveOutputs: true, ct);
        if (build.AssertionFailures.Count > 0)
        {
            foreach (var failure in build.AssertionFailures)
                _logger.LogError("Assertion {Assertion} failed with {Rows} row(s); nothing is published", failure.RelativePath, failure.Rows.Rows.Count);
            return new BuildAndPublishResult(BuildAndPublishStatus.AssertionsFailed, null, build.AssertionFailures);
        }
        var result = await publisher.PublishAsync(build, builder.Options, retention, progress, ct);
        foreach (var dataset in result.Datasets)
            _logger.LogInformation("Build and publish: {Dataset} {Outcome} v{Version}", dataset.Dataset, dataset.Created ? "published" : "unchanged at", dataset.Version);
        var status = result.Datasets.Any(d => d.Created) ? BuildAndPublishStatus.Published : BuildAndPublishStatus.Unchanged;
        return new BuildAndPublishResult(status, result, []);
    }
}
