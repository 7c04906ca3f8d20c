using System.CommandLine;
using System.Globalization;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam versions [dataset]`: the committed versions, newest first, with what changed in each.</summary>
public static class VersionsCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var dataset = new Argument<string?>("dataset") { Description = "kpi or curated (default: both).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("versions", "List the published versions of a dataset: number, date, and what changed.") { dataset };
        settings.AddStorageOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            var versions = services.GetRequiredService<DatasetVersions>();
            var datasets = parse.GetValue(dataset) is { } one ? [Datasets.Check(one)] : PublishedLayout.Datasets;
            foreach (var name in datasets)
            {
                var manifests = await versions.ListAsync(name, ct);
                var latest = (await versions.ReadPointerAsync(name, PublishedLayout.LatestPointer, ct))?.Pointer.Version;
                if (manifests.Count == 0)
                {
                    console.MarkupLineInterpolated($"{name}: nothing published yet.");
                    continue;
                }
                var table = new Table().Title($"{name}").AddColumns("Version", "Skapad / created (UTC)", "Föregående / previous", "Indata / inputs", "Kvalitet / quality", "Ändringar / what changed");
                foreach (var m in manifests.OrderByDescending(m => m.Version))
                    table.AddRow(
                        new Text($"v{m.Version}{(m.Version == latest ? " (latest)" : "")}"),
                        new Text(m.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                        new Text(m.PreviousVersion is { } p ? $"v{p}" : "–"),
                        new Text(m.Inputs.Count.ToString(CultureInfo.InvariantCulture)),
                        new Text($"{m.Quality.Errors} fel, {m.Quality.Warnings} varningar"),
                        new Text(m.ChangeSummary()));
                console.Write(table);
            }
            return CliApp.Ok;
        }));
        return command;
    }
}

internal static class Datasets
{
    public static string Check(string dataset) => PublishedLayout.Datasets.Contains(dataset)
        ? dataset
        : throw new ArgumentException($"Unknown dataset '{dataset}': use {string.Join(" or ", PublishedLayout.Datasets)}.");
}
