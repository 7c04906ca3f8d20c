using System.CommandLine;
using Finsam.Pipeline.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam publish`: build the models, then publish the kpi and curated datasets as new versions when anything changed.</summary>
public static class PublishCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var keepLast = new Option<int?>("--keep-last") { Description = "Retention: keep at least the last N versions of each dataset (default: keep all, or Finsam__Publishing__KeepLast)." };
        var keepDays = new Option<int?>("--keep-days") { Description = "Retention: keep versions younger than D days (default: keep all, or Finsam__Publishing__KeepDays). The latest version, and any a pointer names, are always kept." };
        var command = new Command("publish", "Build the models and publish immutable, numbered versions of the kpi (members) and curated (controller) datasets, when anything changed.")
        {
            keepLast, keepDays,
        };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            var overlay = new Dictionary<string, string?>();
            if (parse.GetValue(keepLast) is { } last) overlay["Finsam:Publishing:KeepLast"] = last.ToString();
            if (parse.GetValue(keepDays) is { } days) overlay["Finsam:Publishing:KeepDays"] = days.ToString();
            await using var services = settings.Services(parse, overlay);
            var result = await services.GetRequiredService<BuildAndPublish>().RunAsync(BuildCommand.Progress(console), ct);
            switch (result.Status)
            {
                case BuildAndPublishStatus.AssertionsFailed:
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
            console.MarkupLineInterpolated($"Quality: {quality.Errors} error(s), {quality.Warnings} warning(s). Members pull with: finsam pull --dataset kpi --version latest --to DIR");
            return CliApp.Ok;
        }));
        return command;
    }
}
