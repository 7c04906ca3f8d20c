using System.Text.RegularExpressions;
using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// The grain a model states in its header comment, "Grain: one row per federation and year (federation_id, year).", as
/// the columns that make a row unique; and the check that they do, as dbt's <c>unique</c> test: one generic query a model.
/// </summary>
public static partial class ModelGrain
{
    /// <summary>The grain's columns, from the parenthesised list that ends the model's "Grain:" sentence; null when it states none.</summary>
    public static IReadOnlyList<string>? Columns(SqlModel model)
    {
        var header = string.Join(' ', model.Sql.Split('\n').TakeWhile(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal))
            .Select(l => l.TrimStart()[2..].Trim()));
        var grain = Sentence().Match(header);
        return grain.Success ? grain.Groups["columns"].Value.Split(',').Select(c => c.Trim()).ToList() : null;
    }

    /// <summary>The models built from SQL files (not the union the runner makes), each with its grain.</summary>
    public static IEnumerable<(SqlModel Model, IReadOnlyList<string>? Columns)> Of(IEnumerable<SqlModel> models) =>
        models.Where(m => m.Name != ModelProject.QualityRulesModel).Select(m => (m, Columns(m)));

    /// <summary>
    /// Every model whose grain does not hold in the built session: its name, how many keys have more than one row, and the
    /// first such key. Empty when every model is unique on its grain.
    /// </summary>
    public static List<string> Violations(DuckDbSession session, IEnumerable<SqlModel> models)
    {
        var violations = new List<string>();
        foreach (var (model, columns) in Of(models))
        {
            if (columns is null) continue;
            var key = string.Join(", ", columns);
            var rows = session.Query($"""
                select count(*) over () as keys, {key}, count(*) as rows
                from {model.Name} group by {key} having count(*) > 1 order by all limit 1
                """).Rows;
            if (rows.Count > 0)
                violations.Add($"{model.Name}: {rows[0][0]} key(s) of ({key}) with more than one row, e.g. " +
                               $"({string.Join(", ", rows[0].Skip(1).Take(columns.Count).Select(v => v?.ToString() ?? "null"))}) × {rows[0][^1]}");
        }
        return violations;
    }

    [GeneratedRegex(@"Grain: [^()]*?\((?<columns>[a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*)\)\.")]
    private static partial Regex Sentence();
}
