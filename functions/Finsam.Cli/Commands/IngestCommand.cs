using System.CommandLine;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Reference;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam ingest`: process everything new in landing.</summary>
public static class IngestCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var command = new Command("ingest", "Validate every file in landing and ingest it into curated Parquet, or quarantine it with a report.");
        settings.AddStorageOptions(command);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var store = settings.Storage(parse).Create();
                var service = new IngestionService(store, settings.Pseudonymizer());
                console.MarkupLineInterpolated($"Ingesting from {store.Description}");
                var summary = await service.IngestAllAsync(OutcomePrinter.Progress(console), ct);
                OutcomePrinter.Summary(console, summary, store.Description);
                return summary.Rejected + summary.Failed > 0 ? CliApp.InputRejected : CliApp.Ok;
            }
            catch (Exception e) when (e is PseudonymKeyException or ReferenceDataException or ArgumentException)
            {
                console.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return CliApp.UsageError;
            }
        });
        return command;
    }
}
