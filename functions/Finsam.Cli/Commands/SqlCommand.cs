using System.CommandLine;
using System.Text;
using Finsam.Pipeline.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>
/// `finsam sql "select …"` runs one query; `finsam sql` alone reads queries from the terminal until
/// `.quit`. Every curated data set (src_*), reference file (ref_*) and model is there as a table or view.
/// </summary>
public static class SqlCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings, TextReader input)
    {
        var query = new Argument<string?>("query") { Description = "The query to run; without it, an interactive prompt.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("sql", "Query the curated data and every model with DuckDB SQL.") { query };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            using var build = await services.GetRequiredService<ModelBuilder>().BuildAsync(saveOutputs: false, ct: ct);
            if (parse.GetValue(query) is { Length: > 0 } sql) return Run(console, build, sql) ? CliApp.Ok : CliApp.InputRejected;
            console.MarkupLine("DuckDB SQL over the curated data and models. End a query with ';'. Tables: [bold]select table_name from information_schema.tables;[/]  Quit: [bold].quit[/]");
            var buffer = new StringBuilder();
            while (true)
            {
                console.Markup(buffer.Length == 0 ? "finsam> " : "   ...> ");
                var line = await input.ReadLineAsync(ct);
                if (line is null || (buffer.Length == 0 && line.Trim() is ".quit" or ".exit")) return CliApp.Ok;
                buffer.AppendLine(line);
                if (!line.TrimEnd().EndsWith(';')) continue;
                Run(console, build, buffer.ToString());
                buffer.Clear();
            }
        }));
        return command;
    }

    private static bool Run(IAnsiConsole console, ModelBuild build, string sql)
    {
        try
        {
            var result = build.Session.Query(sql);
            var table = new Table();
            foreach (var column in result.Columns) table.AddColumn(column);
            foreach (var row in result.Rows) table.AddRow(row.Select(v => new Text(Format(v))).ToArray());
            console.Write(table);
            console.MarkupLineInterpolated($"{result.Rows.Count} row(s)");
            return true;
        }
        catch (Exception e)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return false;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "NULL",
        DateOnly d => d.ToString("yyyy-MM-dd"),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss"),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
