using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Reference;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>Errors a user can fix (configuration, a missing version, bad reference data, a folder or storage that cannot be written) end a command with a plain message and exit code 2.</summary>
public static class UserErrors
{
    public static async Task<int> RunAsync(IAnsiConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (e is ArgumentException or ModelException or ReferenceDataException or PublishingException or IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return CliApp.UsageError;
        }
    }
}
