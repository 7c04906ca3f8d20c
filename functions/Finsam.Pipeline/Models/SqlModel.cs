using System.Text.RegularExpressions;

namespace Finsam.Pipeline.Models;

/// <summary>One .sql file of the project: a model (a table named after the file), a macro file or an assertion.</summary>
public sealed partial record SqlModel(string Name, string Layer, string RelativePath, string Sql)
{
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>The inputs the SQL names: src_* (curated data) and ref_* (reference files).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Whether the model reads curated data: it names a src_* input or a model that does.</summary>
    public bool ReadsCurated { get; init; }

    /// <summary>
    /// Declared in the model's header by a comment line <c>-- Built per federation: …</c>: each federation's rows come from
    /// that federation's data alone (and from reference files), so a build computes them only for the federations whose data
    /// changed and keeps the others' rows (<see cref="FederationModels"/>). The model has a federation_id column.
    /// An assertion's line <c>-- Checked per federation: …</c> says the same of what it checks: it reads only models built per
    /// federation, and is run over the federations a build computes, before their rows are kept.
    /// </summary>
    public bool PerFederation => Header.Any(l => PerFederationMarker().IsMatch(l));

    /// <summary>
    /// Declared in the model's header by a comment line <c>-- Built per year: …</c>: each year's rows come from that year's rows of
    /// the models it reads (each has a year column), so a build computes a year again only where what it reads of that year
    /// changed, and keeps the other years' rows (<see cref="YearModels"/>). The model has a year column.
    /// </summary>
    public bool PerYear => Header.Any(l => PerYearMarker().IsMatch(l));

    /// <summary>The first comment lines: what the model is and its grain.</summary>
    public string Description => string.Join(' ', Header.Select(l => l.Trim().TrimStart('-').Trim()));

    /// <summary>The comment lines the file begins with.</summary>
    private IEnumerable<string> Header => Sql.Split('\n').TakeWhile(l => l.TrimStart().StartsWith("--"));

    [GeneratedRegex(@"^\s*--\s*(Built|Checked) per federation\b")]
    private static partial Regex PerFederationMarker();

    [GeneratedRegex(@"^\s*--\s*Built per year\b")]
    private static partial Regex PerYearMarker();
}
