using System.CommandLine;
using Finsam.Cli.Commands;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Finsam.Cli;

/// <summary>The `finsam` command line. Exit codes: 0 done, 1 done but input was rejected or invalid, 2 usage or configuration error.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int InputRejected = 1;
    public const int UsageError = 2;

    /// <param name="configuration">The settings every host reads (environment variables in the real program).</param>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, IConfiguration configuration, TextReader input, CancellationToken ct = default)
    {
        var settings = new CliSettings(configuration);
        var root = new RootCommand("Finsam.Pipeline: validated, pseudonymised and comparable data for Finsam federations and their joint controller function.");
        root.Add(ValidateCommand.Create(console, settings));
        root.Add(IngestCommand.Create(console, settings));
        root.Add(DemoCommand.Create(console, settings));
        root.Add(BuildCommand.Create(console, settings));
        root.Add(SqlCommand.Create(console, settings, input));
        root.Add(PublishCommand.Create(console, settings));
        root.Add(PublishCommand.CreateRelease(console, settings));
        root.Add(VersionsCommand.Create(console, settings));
        root.Add(PullCommand.Create(console, settings));
        root.Add(DiffCommand.Create(console, settings));
        root.Add(HostCommand.Create(console, settings));
        root.Add(ApiCommand.Create(console, settings));
        root.Add(EraseCommand.Create(console, settings, input));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) console.MarkupLineInterpolated($"[red]{error.Message}[/]");
            console.WriteLine("Run 'finsam --help' for usage.");
            return UsageError;
        }
        // The local host stops on SIGTERM and Ctrl-C itself, finishing the file in hand within its own shutdown timeout;
        // every other command is cancelled by System.CommandLine.
        var invocation = parse.CommandResult.Command.Name is HostCommand.Name or ApiCommand.Name ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null;
        return await parse.InvokeAsync(invocation, ct);
    }
}
