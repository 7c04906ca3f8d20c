using Finsam.Cli;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

var console = AnsiConsole.Console;
// In logs and pipes, do not wrap long lines at 80 columns.
if (Console.IsOutputRedirected) console.Profile.Width = 240;
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
return await CliApp.RunAsync(args, console, configuration, Console.In);
