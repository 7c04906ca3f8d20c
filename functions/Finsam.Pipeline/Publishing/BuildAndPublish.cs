using System.Diagnostics;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Versions;
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
/// The two scheduled jobs of every host. <see cref="RunAsync"/> (on BUILD_SCHEDULE): when anything is new since the latest
/// controller version, build the models, check the assertions and publish the <c>curated</c> dataset — the controller's
/// data follows every change. <see cref="ReleaseAsync"/> (on RELEASE_SCHEDULE, or <c>finsam release</c>): the same for the
/// members' <c>kpi</c> dataset, which changes only on that calendar, so that the difference between two consecutive member
/// releases cannot isolate one federation's re-drop. A run with nothing new ends at once; a failed assertion publishes
/// nothing. Retention follows each run.
/// </summary>
public sealed class BuildAndPublish(IBlobStore store, Publisher publisher, ModelBuilder builder, IOptions<FinsamOptions> options, ILogger<BuildAndPublish>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>
    /// A job that takes this long is logged as a warning: a third of the 30 minutes a Functions host gives it (<c>functionTimeout</c>
    /// in host.json), after which it is stopped and publishes nothing. A county's member releases of the year to date grow through the
    /// year (up to 10.6 minutes in November before the audit decided counts by its integer programmes' solutions, 2.3 minutes since;
    /// docs/benchmarks.md), and each release after one stopped would be larger still.
    /// </summary>
    internal TimeSpan SlowAfter { get; init; } = DefaultSlowAfter;

    internal static readonly TimeSpan DefaultSlowAfter = TimeSpan.FromMinutes(10);

    /// <summary>Build and publish the controller's <c>curated</c> dataset.</summary>
    public Task<BuildAndPublishResult> RunAsync(IProgress<string>? progress = null, CancellationToken ct = default) =>
        PublishAsync(PublishedLayout.CuratedDataset, "Build and publish", progress, ct);

    /// <summary>Cut a member release: build and publish the <c>kpi</c> dataset.</summary>
    public Task<BuildAndPublishResult> ReleaseAsync(IProgress<string>? progress = null, CancellationToken ct = default) =>
        PublishAsync(PublishedLayout.KpiDataset, "Member release", progress, ct);

    private async Task<BuildAndPublishResult> PublishAsync(string dataset, string job, IProgress<string>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var settings = options.Value.Publishing;
        var yearToDate = settings.ParticipantYearsChoice == ParticipantYears.YearToDate;
        var retention = new RetentionPolicy(settings.KeepLast, settings.KeepDays is { } days ? TimeSpan.FromDays(days) : null);
        var fingerprint = await new SourceState(store).FingerprintAsync(builder.Options.QueriesFolder, ct);
        if (await publisher.UnchangedAsync(fingerprint, retention, ct, [dataset]) is { } latest)
        {
            _logger.LogInformation("{Job}: {Dataset} unchanged, nothing new since v{Version}", job, dataset, latest.Datasets[0].Version);
            return new BuildAndPublishResult(BuildAndPublishStatus.Unchanged, latest, []);
        }
        using var build = await builder.BuildAsync(progress, saveOutputs: true, ct);
        if (build.IncrementalSummary is { } perFederation) _logger.LogInformation("{Job}: {Models}", job, perFederation);
        if (build.AssertionFailures.Count > 0)
        {
            foreach (var failure in build.AssertionFailures)
                _logger.LogError("{Job}: assertion {Assertion} failed with {Rows} row(s); nothing is published", job, failure.RelativePath, failure.Rows.Rows.Count);
            WarnIfSlow(dataset, job, clock.Elapsed, yearToDate);
            return new BuildAndPublishResult(BuildAndPublishStatus.AssertionsFailed, null, build.AssertionFailures);
        }
        var result = await publisher.PublishAsync(build, builder.Options, retention, progress, ct, [dataset], fingerprint);
        var took = clock.Elapsed;
        foreach (var published in result.Datasets)
            _logger.LogInformation("{Job}: {Dataset} {Outcome} v{Version} in {Seconds} s", job, published.Dataset, published.Created ? "published" : "unchanged at",
                published.Version, Math.Round(took.TotalSeconds, 1));
        WarnIfSlow(dataset, job, took, yearToDate);
        var status = result.Datasets.Any(d => d.Created) ? BuildAndPublishStatus.Published : BuildAndPublishStatus.Unchanged;
        return new BuildAndPublishResult(status, result, []);
    }

    /// <summary>
    /// A job near the time a Functions host gives it (the time includes waiting for a job before it in the same work folder), and, for a
    /// member release of the year to date, why releases grow through the year and what keeps them short.
    /// </summary>
    private void WarnIfSlow(string dataset, string job, TimeSpan took, bool yearToDate)
    {
        if (took < SlowAfter) return;
        const string Stopped = "{Job} took {Minutes} minutes. On a Functions host a job is stopped after 30 minutes (functionTimeout in host.json), " +
                               "and a stopped job publishes nothing";
        var minutes = Math.Round(took.TotalMinutes, 1);
        if (dataset == PublishedLayout.KpiDataset && yearToDate)
            _logger.LogWarning(Stopped + ". A release of the year to date is audited together with every earlier release, so releases take longer " +
                               "through the year, and each one after a stopped release is larger still. With {Setting} = CompleteYears the releases " +
                               "of a year do not add up this way (docs/operations.md, Sizing).",
                job, minutes, FinsamSettings.EnvironmentName(o => o.Publishing.ParticipantYears));
        else
            _logger.LogWarning(Stopped + " (docs/operations.md, Sizing).", job, minutes);
    }
}
