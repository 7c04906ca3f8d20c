using System.CommandLine;
using Finsam.Pipeline.Erasure;
using Finsam.Pipeline.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>
/// `finsam erase --personnummer NUMBER [--yes]`: where one person is held, and with --yes their erasure from everything
/// stored once the federations' corrected exports have taken them out of the data (docs/operations.md).
/// </summary>
public static class EraseCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings, TextReader input)
    {
        var number = new Option<string>("--personnummer")
        {
            Description = "The person's personnummer or samordningsnummer (yyyyMMdd-NNNN or yyMMdd-NNNN); '-' reads it from standard input, so that it stays out of the shell's history and the process list.",
            Required = true,
        };
        var yes = new Option<bool>("--yes") { Description = "Delete what holds the person (without it, only list it)." };
        var command = new Command("erase",
            "Erase one person: list every original, rejected file and published version that holds them, and with --yes publish new versions without them and delete the rest. Exit 0 done (or nothing held), 1 the data as it stands still holds them, 2 usage error.")
        {
            number, yes,
        };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            var clock = services.GetRequiredService<TimeProvider>();
            var given = parse.GetValue(number) is "-" ? await input.ReadLineAsync(ct) : parse.GetValue(number);
            if (!PersonalIdentityNumber.TryParse(given, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), out var person, out var problem, out _))
                throw new ArgumentException($"--personnummer is not an identity number: {problem}.");
            var erasure = services.GetRequiredService<PersonErasure>();
            console.MarkupLineInterpolated($"Looking for {person} in {services.GetRequiredService<Pipeline.Storage.IBlobStore>().Description}");
            var held = await erasure.FindAsync(person, ct);
            if (held.Nowhere)
            {
                console.MarkupLine("[green]Nothing stored holds this person.[/]");
                return CliApp.Ok;
            }
            Print(console, held);
            if (held.NeedsCorrectedDeliveries)
            {
                console.MarkupLineInterpolated($"[red]{new ErasureBlockedException(held).Message}[/]");
                return CliApp.InputRejected;
            }
            if (!parse.GetValue(yes))
            {
                console.MarkupLine("Nothing was deleted. Run again with --yes to publish new versions without the person and delete the above.");
                return CliApp.Ok;
            }
            ErasureResult result;
            try
            {
                result = await erasure.EraseAsync(person, held, BuildCommand.Progress(console), ct);
            }
            catch (ErasureBlockedException blocked)
            {
                // Delivered meanwhile.
                Print(console, blocked.Holdings);
                console.MarkupLineInterpolated($"[red]{blocked.Message}[/]");
                return CliApp.InputRejected;
            }
            foreach (var published in result.Published) console.MarkupLineInterpolated($"[green]{published}[/]");
            console.MarkupLineInterpolated($"[green]Deleted {result.Deleted.Count} blob(s).[/]");
            if (!result.After.Nowhere)
            {
                console.MarkupLine("[red]The person is still held (written meanwhile?):[/]");
                Print(console, result.After);
                return CliApp.InputRejected;
            }
            console.MarkupLine("Nothing stored holds this person any more. In Azure, what was deleted stays as earlier blob versions and soft-deleted blobs: docs/operations.md says how long, and how to delete those of published/.");
            return CliApp.Ok;
        }));
        return command;
    }

    private static void Print(IAnsiConsole console, PersonHoldings held)
    {
        void Group(string what, IReadOnlyList<string> names)
        {
            if (names.Count == 0) return;
            console.MarkupLineInterpolated($"{what}:");
            foreach (var name in names) console.MarkupLineInterpolated($"  {FreeTextMasker.Masked(name)}");
        }
        Group("Accepted registrations of (federation, month)", held.CurrentMonths);
        Group("Accepted deliveries whose text holds the number (federation, month, kind)", held.CurrentDeliveries);
        Group("Files in landing/, not ingested yet", held.Landing);
        Group("Originals in raw/", held.Originals);
        Group("Rejected files and reports in quarantine/", held.Quarantined);
        Group("The builds' compacted registrations in curated/", held.Compacted);
        Group("Published versions", held.Versions.Select(v => $"{v.Dataset} v{v.Version}{(v.IsLatest ? " (latest)" : v.BeingWritten ? " (being published)" : "")}").ToList());
    }
}
