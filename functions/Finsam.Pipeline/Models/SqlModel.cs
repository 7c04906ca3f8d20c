namespace Finsam.Pipeline.Models;

/// <summary>One .sql file of the project: a model (a table named after the file), a macro file or an assertion.</summary>
public sealed record SqlModel(string Name, string Layer, string RelativePath, string Sql)
{
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>The first comment lines: what the model is and its grain.</summary>
    public string Description => string.Join(' ', Sql.Split('\n').TakeWhile(l => l.TrimStart().StartsWith("--")).Select(l => l.Trim().TrimStart('-').Trim()));
}
