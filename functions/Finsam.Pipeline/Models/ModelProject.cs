using System.Text.RegularExpressions;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The SQL project in queries/: macros/ (run first), staging/, intermediate/, marts/, quality/ and
/// kpi/ models, and assertions/ (queries that must return no rows). The build order comes from the
/// files themselves: a model depends on every other model whose name it mentions.
/// The union of all quality/ models is made by the runner (<see cref="QualityRulesModel"/>); findings/quality.sql makes it
/// the model <see cref="QualityModel"/>, each finding with a stable id, finding_id = rule_id:federation_id:year, and
/// :finding_key when the rule gives one (an account, a month …), so that the KPI values a finding affects can name it.
/// </summary>
public sealed partial class ModelProject
{
    /// <summary>The models a build writes out and the releases publish: the KPI table, its catalog, the findings, the places.</summary>
    public const string KpiModel = "kpi", KpiCatalogModel = "kpi_catalog", QualityModel = "quality", PlacesModel = "places";
    /// <summary>The union of the quality/ rules, made by the runner; <see cref="QualityModel"/> (findings/quality.sql) reads it.</summary>
    public const string QualityRulesModel = "quality_rules";
    public static readonly string[] ModelLayers = ["staging", "intermediate", "marts", "quality", "findings", "kpi"];

    /// <summary>The folder of the curated release's tables: one query a table, NN_{table}.sql, in the release's order.</summary>
    public const string CuratedReleaseFolder = "release/curated";

    private ModelProject(string root, IReadOnlyList<SqlModel> macros, IReadOnlyList<SqlModel> models, IReadOnlyList<SqlModel> assertions,
        IReadOnlyList<SqlModel> curatedRelease)
    {
        Root = root;
        Macros = macros;
        Models = models;
        Assertions = assertions;
        CuratedRelease = curatedRelease;
    }

    public string Root { get; }
    public IReadOnlyList<SqlModel> Macros { get; }
    /// <summary>In build order: every model after the models it depends on.</summary>
    public IReadOnlyList<SqlModel> Models { get; }
    public IReadOnlyList<SqlModel> Assertions { get; }

    /// <summary>The tables of the controller's curated release, in its order: each a query of the built models, named for its file without the NN_.</summary>
    public IReadOnlyList<SqlModel> CuratedRelease { get; }

    public static ModelProject Load(string root)
    {
        if (!Directory.Exists(root)) throw new ModelException($"The SQL project folder '{root}' does not exist.");
        var macros = Read(root, "macros").Select(m => m with { Inputs = InputsOf(m.Sql) }).ToList();
        var models = ModelLayers.SelectMany(layer => Read(root, layer)).ToList();
        var duplicate = models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ModelException($"Two models are named '{duplicate.Key}': {string.Join(", ", duplicate.Select(m => m.RelativePath))}.");
        var qualityRules = models.Where(m => m.Layer == "quality").ToList();
        if (qualityRules.Count > 0)
            // The one model the files cannot hold: it names every rule. findings/quality.sql gives each finding its id.
            models.Add(new SqlModel(QualityRulesModel, "findings", "(union of quality/*.sql)",
                "-- The union of the quality/ rules, made by the runner. Grain: one row per finding of a rule.\n" +
                string.Join("\nunion all by name\n", qualityRules.Select(r => $"select * from {r.Name}"))));

        var names = models.Select(m => m.Name).ToHashSet();
        var withDependencies = models.Select(m => m with
        {
            Dependencies = Identifiers(m.Sql).Where(n => names.Contains(n) && n != m.Name).ToList(),
            Inputs = InputsOf(m.Sql).Where(n => !names.Contains(n)).ToList(),
        }).ToList();
        var sorted = CheckPerFederation(CheckPerYear(WithReadsCurated(Sort(withDependencies))));
        var readsCurated = sorted.Where(m => m.ReadsCurated).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var assertions = Read(root, "assertions").Select(a =>
        {
            var assertion = a with
            {
                Dependencies = Identifiers(a.Sql).Where(names.Contains).ToList(),
                Inputs = InputsOf(a.Sql).Where(n => !names.Contains(n)).ToList(),
            };
            return assertion with { ReadsCurated = ReadsCurated(assertion, readsCurated) };
        }).ToList();
        var release = Read(root, CuratedReleaseFolder).Select(t => t with { Name = t.Name[(t.Name.IndexOf('_') + 1)..] }).ToList();
        return new ModelProject(root, macros, sorted, CheckPerFederation(assertions, sorted), release);
    }

    /// <summary>Marks the models that read curated data (a src_* input, or a model that does), in build order.</summary>
    private static List<SqlModel> WithReadsCurated(List<SqlModel> sorted)
    {
        var reads = new HashSet<string>(StringComparer.Ordinal);
        var marked = new List<SqlModel>();
        foreach (var model in sorted)
        {
            var readsCurated = ReadsCurated(model, reads);
            if (readsCurated) reads.Add(model.Name);
            marked.Add(model with { ReadsCurated = readsCurated });
        }
        return marked;
    }

    /// <summary>Whether <paramref name="model"/> names a src_* input or one of the models <paramref name="reading"/> (those that read curated data).</summary>
    private static bool ReadsCurated(SqlModel model, IReadOnlySet<string> reading) =>
        model.Inputs.Any(i => i.StartsWith("src_", StringComparison.Ordinal)) || model.Dependencies.Any(reading.Contains);

    /// <summary>
    /// A model built per federation may read curated data only through models that are built per federation too: a model
    /// over every federation's rows would give a federation's rows that depend on the others'.
    /// </summary>
    /// <remarks>The same holds for an assertion checked per federation (<paramref name="checkedModels"/>: what <paramref name="models"/> read).</remarks>
    private static List<SqlModel> CheckPerFederation(List<SqlModel> models, List<SqlModel>? checkedModels = null)
    {
        var byName = (checkedModels ?? models).ToDictionary(m => m.Name);
        foreach (var model in models.Where(m => m.PerFederation))
        {
            var marker = checkedModels is null ? "-- Built per federation" : "-- Checked per federation";
            var what = checkedModels is null ? "is built" : "is checked";
            if (!model.ReadsCurated)
                throw new ModelException($"{model.RelativePath} {what} per federation, but it reads no curated data: remove the line '{marker}' from it.");
            var wrong = model.Dependencies.FirstOrDefault(d => byName[d].ReadsCurated && !byName[d].PerFederation);
            if (wrong is not null)
                throw new ModelException($"{model.RelativePath} {what} per federation, but it reads {wrong}, which is built over every federation's data. " +
                                         $"Build {wrong} per federation too, or remove the line '{marker}' from {model.RelativePath}.");
        }
        return models;
    }

    /// <summary>
    /// A model built per year reads models alone (each with a year column, checked when it is built): a year's rows of a curated
    /// input or a reference file are not what a build compares to know whether the year changed.
    /// </summary>
    private static List<SqlModel> CheckPerYear(List<SqlModel> models)
    {
        foreach (var model in models.Where(m => m.PerYear))
        {
            if (model.PerFederation)
                throw new ModelException($"{model.RelativePath} is built both per federation and per year: keep one of the lines '-- Built per federation' and '-- Built per year'.");
            if (!model.ReadsCurated)
                throw new ModelException($"{model.RelativePath} is built per year, but it reads no curated data: remove the line '-- Built per year' from it.");
            if (model.Inputs.Count > 0)
                throw new ModelException($"{model.RelativePath} is built per year, but it reads {model.Inputs[0]} directly: a model built per year reads only models " +
                                         "(with a year column). Read it through a model, or remove the line '-- Built per year'.");
        }
        return models;
    }

    private static List<SqlModel> Read(string root, string layer)
    {
        var folder = Path.Combine(root, layer);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*.sql", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => new SqlModel(Path.GetFileNameWithoutExtension(path), layer, Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path)))
            .ToList();
    }

    /// <summary>The inputs the SQL names: src_* and ref_*.</summary>
    private static List<string> InputsOf(string sql) =>
        Identifiers(sql).Where(n => n.StartsWith("src_", StringComparison.Ordinal) || n.StartsWith("ref_", StringComparison.Ordinal)).ToList();

    /// <summary>The names in the SQL outside comments and string literals, lowercase, each once.</summary>
    private static IEnumerable<string> Identifiers(string sql)
    {
        var code = CommentsAndStrings().Replace(sql, " ");
        return Identifier().Matches(code).Select(m => m.Value.ToLowerInvariant()).Distinct();
    }

    private static List<SqlModel> Sort(List<SqlModel> models)
    {
        var byName = models.ToDictionary(m => m.Name);
        var sorted = new List<SqlModel>();
        var state = new Dictionary<string, int>(); // 1 visiting, 2 done
        void Visit(SqlModel model, Stack<string> path)
        {
            if (state.GetValueOrDefault(model.Name) == 2) return;
            if (state.GetValueOrDefault(model.Name) == 1)
                throw new ModelException($"The models depend on each other in a circle: {string.Join(" → ", path.Reverse().Append(model.Name))}.");
            state[model.Name] = 1;
            path.Push(model.Name);
            foreach (var dependency in model.Dependencies.Order(StringComparer.Ordinal)) Visit(byName[dependency], path);
            path.Pop();
            state[model.Name] = 2;
            sorted.Add(model);
        }
        foreach (var model in models) Visit(model, new Stack<string>());
        return sorted;
    }

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}

public sealed class ModelException(string message, Exception? inner = null) : FixableException(message, inner);
