using System.CommandLine;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>
/// `finsam publish`: build the models and publish the controller's curated dataset when anything changed (what the
/// BUILD_SCHEDULE timer does); `finsam release`: cut a member release of the kpi dataset by hand (what the
/// RELEASE_SCHEDULE timer does).
/// </summary>
public static class PublishCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings) =>
        Create(console, settings, "publish",
            "Build the models and publish an immutable, numbered version of the controller's curated dataset, when anything changed (members' files change only with finsam release).",
            (job, progress, ct) => job.RunAsync(progress, ct),
            "The controller opens it with: finsam pull --dataset curated --version latest --to DIR. Members get new files with the next release (finsam release).");

    public static Command CreateRelease(IAnsiConsole console, CliSettings settings) =>
        Create(console, settings, "release",
            "Cut a member release now: build the models and publish an immutable, numbered version of the kpi dataset (small-count protected), when anything changed since the last release.",
            (job, progress, ct) => job.ReleaseAsync(progress, ct),
            "Members pull it with: finsam pull --dataset kpi --version latest --to DIR");

    private static Command Create(IAnsiConsole console, CliSettings settings, string name, string description,
        Func<BuildAndPublish, IProgress<string>, CancellationToken, Task<BuildAndPublishResult>> run, string next)
    {
        var keepLast = new Option<int?>("--keep-last") { Description = $"Retention: keep at least the last N versions (default: keep all, or {FinsamSettings.EnvironmentName(o => o.Publishing.KeepLast)})." };
        var keepDays = new Option<int?>("--keep-days") { Description = $"Retention: keep versions younger than D days (default: keep all, or {FinsamSettings.EnvironmentName(o => o.Publishing.KeepDays)}). The latest version, and any a pointer names, are always kept." };
        var command = new Command(name, description) { keepLast, keepDays };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            var overlay = new Dictionary<string, string?>();
            if (parse.GetValue(keepLast) is { } last) overlay[FinsamSettings.Key(o => o.Publishing.KeepLast)] = last.ToString();
            if (parse.GetValue(keepDays) is { } days) overlay[FinsamSettings.Key(o => o.Publishing.KeepDays)] = days.ToString();
            await using var services = settings.Services(parse, overlay);
            var result = await run(services.GetRequiredService<BuildAndPublish>(), BuildCommand.Progress(console), ct);
            if (result.Status == BuildAndPublishStatus.AssertionsFailed)
            {
                foreach (var failure in result.AssertionFailures)
                    console.MarkupLineInterpolated($"[red]Assertion {failure.RelativePath} failed: {failure.Rows.Rows.Count} row(s).[/]");
                console.MarkupLine("[red]Nothing was published: fix the data or the models and run again.[/]");
                return CliApp.InputRejected;
            }
            var publication = result.Publication!;
            foreach (var dataset in publication.Datasets)
            {
                if (dataset.Created) console.MarkupLineInterpolated($"[green]{dataset.Describe()}[/]"); else console.MarkupLineInterpolated($"{dataset.Describe()}");
                var removed = publication.Retention[dataset.Dataset];
                if (removed.RemovedVersions.Count > 0)
                    console.MarkupLineInterpolated($"  retention removed {dataset.Dataset} {string.Join(", ", removed.RemovedVersions.Select(v => $"v{v}"))}");
            }
            var quality = publication.Datasets[0].Manifest.Quality;
            console.MarkupLineInterpolated($"Quality: {quality.Errors} error(s), {quality.Warnings} warning(s). {next}");
            return CliApp.Ok;
        }));
        return command;
    }
}
