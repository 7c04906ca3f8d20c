using System.CommandLine;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>`finsam diff vA vB`: the KPIs whose value or status differs between two versions, with old and new values and statuses.</summary>
public static class DiffCommand
{
    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var from = new Argument<string>("old") { Description = "The older version (v1, 1 or latest)." };
        var to = new Argument<string>("new") { Description = "The newer version (v2, 2 or latest)." };
        var dataset = new Option<string>("--dataset") { Description = "kpi (member values, default) or curated (exact values).", DefaultValueFactory = _ => PublishedLayout.KpiDataset };
        var command = new Command("diff", "List the KPIs whose value or status changed between two published versions, with old and new values.") { from, to, dataset };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var services = settings.Services(parse);
            var (old, @new, changes) = await services.GetRequiredService<VersionDiff>().CompareAsync(Datasets.Check(parse.GetValue(dataset)!), parse.GetValue(from)!, parse.GetValue(to)!,
                services.GetRequiredService<ModelOptions>(), ct);
            console.MarkupLineInterpolated($"{old.Dataset} v{old.Version} → v{@new.Version}: {changes.Count} KPI value(s) differ. Inputs: {ManifestChanges.Between(old, @new.Inputs, @new.Models, @new.References, []).Summary()}.");
            if (changes.Count == 0) return CliApp.Ok;
            var table = new Table().AddColumns("Nyckeltal / KPI", "Nivå", "Förbund/län", "Period", "Kön", "Dimension", "Före / old", "Efter / new", "Ändring");
            foreach (var c in changes)
                table.AddRow(new[] { c.KpiId, c.Scope, c.ScopeId, c.Period, c.Kon, c.Dimension, Value(c.OldValue, c.OldSuppression, c.OldStatus), Value(c.NewValue, c.NewSuppression, c.NewStatus), c.Change }
                    .Select(t => new Text(t)).ToArray());
            console.Write(table);
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>A value as published: ".." when suppressed (with why, in the controller's snapshot), then its status: "prel." or, from a data-quality error, "(b)" beside it or "brist" in its place.</summary>
    private static string Value(decimal? value, string suppression, string status)
    {
        if (suppression != "") return suppression == Finsam.Pipeline.Contract.Marker.Suppressed ? suppression : $".. ({suppression})";
        var text = value is { } v ? Finsam.Pipeline.Publishing.Formats.CellText.Normalise(v).ToString(System.Globalization.CultureInfo.InvariantCulture) : "–";
        return status == "preliminar" ? text + " prel." : BuildCommand.WithStatus(text, value is null, status);
    }
}
