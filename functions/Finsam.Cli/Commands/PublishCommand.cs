using System.CommandLine;
using Finsam.Pipeline;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Reference;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam publish`: build the models, then publish the kpi and curated datasets as new versions when anything changed.</summary>
public static class PublishCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var keepLast = new Option<int?>("--keep-last") { Description = "Retention: keep at least the last N versions of each dataset (default: keep all)." };
        var keepDays = new Option<int?>("--keep-days") { Description = "Retention: keep versions younger than D days (default: keep all). The latest version, and any a pointer names, are always kept." };
        var command = new Command("publish", "Build the models and publish immutable, numbered versions of the kpi (members) and curated (controller) datasets, when anything changed.")
        {
            keepLast, keepDays,
        };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            if (parse.GetValue(keepLast) is < 1 || parse.GetValue(keepDays) is < 0)
                throw new ArgumentException("--keep-last must be at least 1 and --keep-days at least 0.");
            var store = settings.Storage(parse).Create();
            var options = settings.ModelOptions(parse);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var progress = new SynchronousProgress<string>(step => console.MarkupLineInterpolated($"[grey]{clock.Elapsed:mm\\:ss} {step}[/]"));
            using var build = await ModelBuild.RunAsync(store, options, progress, ct);
            foreach (var failure in build.AssertionFailures)
                console.MarkupLineInterpolated($"[red]Assertion {failure.RelativePath} failed: {failure.Rows.Rows.Count} row(s).[/]");
            if (build.AssertionFailures.Count > 0)
            {
                console.MarkupLine("[red]Nothing was published: fix the data or the models and run again.[/]");
                return CliApp.InputRejected;
            }
            await build.SaveOutputsAsync(store, options.WorkFolder, ct);
            var retention = new RetentionPolicy(parse.GetValue(keepLast), parse.GetValue(keepDays) is { } days ? TimeSpan.FromDays(days) : null);
            var result = await new Publisher(store).PublishAsync(build, options, retention, progress, ct);
            foreach (var dataset in result.Datasets)
            {
                if (dataset.Created) console.MarkupLineInterpolated($"[green]{dataset.Describe()}[/]"); else console.MarkupLineInterpolated($"{dataset.Describe()}");
                var removed = result.Retention[dataset.Dataset];
                if (removed.RemovedVersions.Count > 0)
                    console.MarkupLineInterpolated($"  retention removed {dataset.Dataset} {string.Join(", ", removed.RemovedVersions.Select(v => $"v{v}"))}");
            }
            console.MarkupLineInterpolated($"Quality: {result.Datasets[0].Manifest.Quality.Errors} error(s), {result.Datasets[0].Manifest.Quality.Warnings} warning(s). Members pull with: finsam pull --dataset kpi --version latest --to DIR");
            return CliApp.Ok;
        }));
        return command;
    }
}
