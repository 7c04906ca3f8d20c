using System.CommandLine;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam ingest`: process everything new in landing.</summary>
public static class IngestCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var command = new Command("ingest", "Validate every file in landing and ingest it into curated Parquet, or quarantine it with a report.");
        settings.AddStorageOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            var storage = services.GetRequiredService<IBlobStore>().Description;
            var ingestion = services.GetRequiredService<IngestionService>();
            console.MarkupLineInterpolated($"Ingesting from {storage}");
            var summary = await ingestion.IngestAllAsync(OutcomePrinter.Progress(console), ct);
            OutcomePrinter.Summary(console, summary, storage);
            return summary.Rejected + summary.Failed > 0 ? CliApp.InputRejected : CliApp.Ok;
        }));
        return command;
    }
}
