using System.CommandLine;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam pull --dataset kpi --version latest --to DIR`: copy one version's files, checked against its manifest.</summary>
public static class PullCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var dataset = new Option<string>("--dataset") { Description = "kpi (members) or curated (the controller).", DefaultValueFactory = _ => PublishedLayout.KpiDataset };
        var version = new Option<string>("--version") { Description = "latest, or a version number (3 or v3).", DefaultValueFactory = _ => PublishedLayout.LatestPointer };
        var to = new Option<string>("--to") { Description = "Folder to copy the files into.", Required = true };
        var command = new Command("pull", "Copy one published version (every file and its manifest) into a local folder, checking each file's SHA-256.") { dataset, version, to };
        settings.AddStorageOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            var folder = Path.GetFullPath(parse.GetValue(to)!);
            var progress = new SynchronousProgress<string>(file => console.MarkupLineInterpolated($"[grey]  {file}[/]"));
            var manifest = await services.GetRequiredService<VersionPuller>().PullAsync(Datasets.Check(parse.GetValue(dataset)!), parse.GetValue(version)!, folder, progress, ct);
            console.MarkupLineInterpolated($"Pulled {manifest.Dataset} v{manifest.Version} ({manifest.Outputs.Count} files) to {folder}.");
            if (manifest.Dataset == PublishedLayout.KpiDataset)
                console.MarkupLineInterpolated($"Open {Path.Combine(folder, PublishedLayout.ReportFile)} in a browser, or {Path.Combine(folder, PublishedLayout.WorkbookFile)} in Excel.");
            else
                console.MarkupLineInterpolated($"Open it in DuckDB: cd {folder} && duckdb {ControllerDatabase.FileName}");
            return CliApp.Ok;
        }));
        return command;
    }
}
