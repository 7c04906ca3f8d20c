using Finsam.Cli;
using Spectre.Console;

var console = AnsiConsole.Console;
// In logs and pipes, do not wrap long lines at 80 columns.
if (Console.IsOutputRedirected) console.Profile.Width = 240;
return await CliApp.RunAsync(args, console, Environment.GetEnvironmentVariable);
