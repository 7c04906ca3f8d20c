using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>Prints ingestion progress and the closing summary.</summary>
public static class OutcomePrinter
{
    public static IProgress<IngestionProgress> Progress(IAnsiConsole console) => new SynchronousProgress<IngestionProgress>(p =>
    {
        var (colour, word) = p.Outcome.Status switch
        {
            FileStatus.Accepted => ("green", "accepted"),
            FileStatus.Rejected => ("red", "rejected"),
            FileStatus.Duplicate => ("grey", "unchanged"),
            FileStatus.Failed => ("red", "failed"),
            _ => ("yellow", "skipped"),
        };
        console.MarkupLineInterpolated($"[[{p.Index}/{p.Total}]] [{colour}]{word,-9}[/] {FreeTextMasker.Masked(p.Outcome.LandingName)}  {p.Outcome.Message}");
        if (p.Outcome.ReportPath is not null) console.MarkupLineInterpolated($"          report: {FreeTextMasker.Masked(p.Outcome.ReportPath)}");
    });

    public static void Summary(IAnsiConsole console, IngestionSummary summary, string storage)
    {
        var table = new Table().AddColumns("Status", "Files", "Rows");
        table.AddRow("accepted", summary.Accepted.ToString(), summary.Files.Where(f => f.Status == FileStatus.Accepted).Sum(f => f.RowCount).ToString());
        table.AddRow("rejected (quarantined)", summary.Rejected.ToString(), "0");
        table.AddRow("unchanged (same bytes as before)", summary.Duplicates.ToString(), "0");
        if (summary.Failed > 0) table.AddRow("failed (left in landing, retried next run)", summary.Failed.ToString(), "0");
        console.Write(table);
        console.MarkupLineInterpolated($"{summary.Files.Count} file(s) processed in {storage}: {summary.Accepted} accepted, {summary.Rejected} rejected, {summary.Duplicates} unchanged{(summary.Failed > 0 ? $", {summary.Failed} failed" : "")}.");
    }
}
