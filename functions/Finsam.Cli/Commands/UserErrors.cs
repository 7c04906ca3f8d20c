using Microsoft.Extensions.Options;
using Spectre.Console;
using Finsam.Pipeline.Failures;

namespace Finsam.Cli.Commands;

/// <summary>
/// Errors a user can fix (a setting, a missing version, bad reference data, a folder or storage that cannot be written)
/// end every command the same way: a plain message and exit code 2.
/// </summary>
public static class UserErrors
{
    public static async Task<int> RunAsync(IAnsiConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (e is FixableException or OptionsValidationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            var message = e is OptionsValidationException invalid ? string.Join(Environment.NewLine, invalid.Failures) : e.Message;
            console.MarkupLineInterpolated($"[red]{message}[/]");
            return CliApp.UsageError;
        }
    }
}
