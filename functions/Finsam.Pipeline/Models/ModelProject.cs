using System.Text.RegularExpressions;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The SQL project in queries/: macros/ (run first), staging/, intermediate/, marts/, quality/ and
/// kpi/ models, and assertions/ (queries that must return no rows). The build order comes from the
/// files themselves: a model depends on every other model whose name it mentions.
/// The union of all quality/ models is the model <see cref="QualityModel"/>; each finding gets a stable id,
/// finding_id = rule_id:federation_id:year, and :finding_key when the rule gives one (an account, a month …),
/// so that the KPI values a finding affects can name it.
/// </summary>
public sealed partial class ModelProject
{
    public const string QualityModel = "quality";
    public static readonly string[] ModelLayers = ["staging", "intermediate", "marts", "quality", "kpi"];

    private ModelProject(string root, IReadOnlyList<SqlModel> macros, IReadOnlyList<SqlModel> models, IReadOnlyList<SqlModel> assertions)
    {
        Root = root;
        Macros = macros;
        Models = models;
        Assertions = assertions;
    }

    public string Root { get; }
    public IReadOnlyList<SqlModel> Macros { get; }
    /// <summary>In build order: every model after the models it depends on.</summary>
    public IReadOnlyList<SqlModel> Models { get; }
    public IReadOnlyList<SqlModel> Assertions { get; }

    public static ModelProject Load(string root)
    {
        if (!Directory.Exists(root)) throw new ModelException($"The SQL project folder '{root}' does not exist.");
        var macros = Read(root, "macros");
        var models = ModelLayers.SelectMany(layer => Read(root, layer)).ToList();
        var duplicate = models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ModelException($"Two models are named '{duplicate.Key}': {string.Join(", ", duplicate.Select(m => m.RelativePath))}.");
        var qualityRules = models.Where(m => m.Layer == "quality").ToList();
        if (qualityRules.Count > 0)
            models.Add(new SqlModel(QualityModel, "quality", "(union of quality/*.sql)",
                "-- Every data-quality finding: the union of the quality/ models, each with its stable id. A rule whose text carries\n" +
                "-- participant counts gives it as detail_template ({antal} = affected_rows, {personer} = persons, {id} = ids), so that\n" +
                "-- member files can write it from their protected counts; here it is written with the exact ones.\n" +
                "with findings as (\n" +
                "select cast(null as bigint) as persons, cast(null as varchar) as ids, cast(null as varchar) as detail_template where false\n" +
                string.Join("", qualityRules.Select(r =>
                    "union all by name select columns(c -> c in ('federation_id', 'year', 'period', 'rule_id', 'severity', 'detail', 'affected_rows', " +
                    $"'finding_key', 'persons', 'ids', 'detail_template')) from {r.Name}\n")) +
                ")\n" +
                "select cast(rule_id as varchar) || ':' || coalesce(cast(federation_id as varchar), '') || ':' || coalesce(cast(year as varchar), '') " +
                "|| coalesce(':' || cast(finding_key as varchar), '') as finding_id, " +
                "cast(federation_id as varchar) as federation_id, cast(year as integer) as year, cast(period as varchar) as period, " +
                "cast(rule_id as varchar) as rule_id, cast(severity as varchar) as severity, " +
                "cast(coalesce(detail, replace(replace(replace(detail_template, '{antal}', coalesce(cast(affected_rows as varchar), '')), " +
                "'{personer}', coalesce(cast(persons as varchar), '')), '{id}', coalesce(ids, ''))) as varchar) as detail, " +
                "cast(affected_rows as bigint) as affected_rows, cast(persons as bigint) as persons, cast(ids as varchar) as ids, " +
                "cast(detail_template as varchar) as detail_template from findings"));

        var names = models.Select(m => m.Name).ToHashSet();
        var withDependencies = models.Select(m => m with { Dependencies = References(m.Sql, names).Where(n => n != m.Name).ToList() }).ToList();
        var assertions = Read(root, "assertions");
        return new ModelProject(root, macros, Sort(withDependencies), assertions);
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

    /// <summary>Model names mentioned in the SQL outside comments and string literals.</summary>
    private static IEnumerable<string> References(string sql, HashSet<string> names)
    {
        var code = CommentsAndStrings().Replace(sql, " ");
        return Identifier().Matches(code).Select(m => m.Value.ToLowerInvariant()).Where(names.Contains).Distinct();
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
