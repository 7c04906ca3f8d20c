using System.CommandLine;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Reference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam validate FILE --federation ID --period yyyy-MM`: what a federation runs before dropping a file.</summary>
public static class ValidateCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var file = new Argument<FileInfo>("file") { Description = "The SIE 4, CSV ledger, participant or volume file to check." };
        var federation = new Option<string>("--federation") { Description = "The federation's id, as in reference/federations.csv.", Required = true };
        var period = new Option<string>("--period") { Description = "The month the file is for, yyyy-MM.", Required = true };
        var orgNr = new Option<string?>("--org-nr") { Description = "The federation's organisation number; #ORGNR in a SIE file must match it." };
        var insatser = new Option<FileInfo?>("--insatser") { Description = "reference/insatser.csv: a volume export's interventions must be listed there for the federation (a warning otherwise)." };
        var command = new Command("validate", "Check a file against the data contract without storing anything. Exit 0 valid, 1 invalid, 2 usage error.")
        {
            file, federation, period, orgNr, insatser,
        };
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            var path = parse.GetValue(file)!;
            if (!Period.TryParse(parse.GetValue(period), out var month))
                throw new ArgumentException($"--period '{parse.GetValue(period)}' is not a month; write yyyy-MM, e.g. 2025-03.");
            if (!path.Exists) throw new ArgumentException($"The file '{path.FullName}' does not exist.");
            var insatsFile = parse.GetValue(insatser);
            if (insatsFile is { Exists: false }) throw new ArgumentException($"The file '{insatsFile.FullName}' does not exist.");
            var knownInsatser = insatsFile is null ? null : InsatsRegistry.ReadFile(insatsFile.FullName).For(parse.GetValue(federation)!);
            await using var services = settings.Services(parse);
            var limits = services.GetRequiredService<IOptions<FinsamOptions>>().Value.Limits;
            var (result, report) = await FileValidator.ValidateFileAsync(path, parse.GetValue(federation)!, month, parse.GetValue(orgNr),
                limits.MaxFileBytes, services.GetRequiredService<TimeProvider>(), knownInsatser, limits.Text, ct);
            if (result.Kind == FileKind.Volumes && knownInsatser is null)
                console.MarkupLine("[grey]Insatserna kontrollerades inte mot insatser.csv (ange --insatser) / the interventions were not checked against insatser.csv (give --insatser).[/]");
            if (result.IsValid)
            {
                console.MarkupLineInterpolated($"[green]Giltig / Valid:[/] {path.Name} ({result.Kind}, {result.RowCount} rows, {result.Report.WarningCount} warning(s)).");
                foreach (var warning in result.Report.Warnings) console.WriteLine($"  {warning}");
                return CliApp.Ok;
            }
            console.Write(new Text(report.ToText()));
            return CliApp.InputRejected;
        }));
        return command;
    }
}
