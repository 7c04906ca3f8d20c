using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// One participant count at one level, period, gender and dimension: a measure (the catalog's numerator or
/// denominator name, e.g. <c>avslutade</c>, or a hidden count of the relations file) and where it is.
/// </summary>
public readonly record struct CellKey(string Measure, string Scope, string ScopeId, string Period, string Kon, string Dimension)
{
    public override string ToString() => $"{Measure} {ScopeId} {Period} {Kon}{(Dimension == "" ? "" : " " + Dimension)}";
}

/// <summary>What a relation runs over (the file's <c>over</c> column).</summary>
public enum RelationAxis
{
    /// <summary><c>matt</c>: between measures at the same level, period, gender and dimension.</summary>
    Measures,
    /// <summary><c>kon</c>: T = K + M.</summary>
    Gender,
    /// <summary><c>geografi</c>: a county, or all federations, against its federations.</summary>
    Geography,
    /// <summary><c>manad</c>: a federation's year to date = its months through the latest month.</summary>
    Months,
    /// <summary><c>arsskifte</c>: a count at the start of a year = another at the end of the previous, complete year.</summary>
    YearEnd,
    /// <summary><c>version</c>: between two releases.</summary>
    Versions,
}

/// <summary>How the two sides compare (the file's <c>kind</c> column).</summary>
public enum RelationKind
{
    /// <summary><c>=</c>: total = sum of parts.</summary>
    Equal,
    /// <summary><c>&lt;=</c>: total ≤ sum of parts.</summary>
    AtMost,
    /// <summary><c>andring</c>: (versions only) the change of a count between releases is a count.</summary>
    Change,
}

/// <summary>
/// A relation of queries/small_count_relations.csv. For <see cref="RelationAxis.Measures"/>, <see cref="Total"/> is one
/// measure (<c>name</c> for the cells without a dimension, <c>name[*]</c> for every cell with one) and the parts are
/// measures at the same key (<c>name</c>), at a given dimension (<c>name[dim]</c>) or every dimension a KPI gives
/// (<c>kpi:id</c>). For the other axes, <see cref="Total"/> lists the measures it holds for (<c>*</c>: every one),
/// except <see cref="RelationAxis.YearEnd"/>: the measure at the start of the year, and the part at the end of the previous.
/// A measure that no KPI reveals is a hidden count: never published, protected like any count.
/// </summary>
public sealed record DisclosureRelation(string Name, RelationAxis Over, RelationKind Kind, IReadOnlyList<string> Total, IReadOnlyList<string> Parts, string Description)
{
    public bool Covers(string measure) => Total.Contains("*") || Total.Contains(measure);

    /// <summary>Reads the relations file: <c>relation;over;kind;total;parts;description</c>.</summary>
    public static IReadOnlyList<DisclosureRelation> Read(string path)
    {
        if (!File.Exists(path)) throw new PublishingException($"The small-count relations file is missing: {path}.");
        var lines = File.ReadAllLines(path).Where(l => l.Trim() != "").ToList();
        const string header = "relation;over;kind;total;parts;description";
        if (lines.Count == 0 || lines[0].Trim() != header)
            throw new PublishingException($"{path}: the first line must be '{header}'.");
        return lines.Skip(1).Select((line, i) => Parse(line, $"{Path.GetFileName(path)} line {i + 2}")).ToList();
    }

    private static DisclosureRelation Parse(string line, string where)
    {
        var fields = line.Split(';', 6);
        if (fields.Length < 6) throw new PublishingException($"{where}: expected 6 fields separated by ';'.");
        var over = fields[1].Trim() switch
        {
            "matt" => RelationAxis.Measures,
            "kon" => RelationAxis.Gender,
            "geografi" => RelationAxis.Geography,
            "manad" => RelationAxis.Months,
            "arsskifte" => RelationAxis.YearEnd,
            "version" => RelationAxis.Versions,
            var other => throw new PublishingException($"{where}: unknown 'over' value '{other}' (matt, kon, geografi, manad, arsskifte, version)."),
        };
        var kind = fields[2].Trim() switch
        {
            "=" => RelationKind.Equal,
            "<=" => RelationKind.AtMost,
            "andring" when over == RelationAxis.Versions => RelationKind.Change,
            var other => throw new PublishingException($"{where}: unknown 'kind' value '{other}' (=, <=, andring for versions)."),
        };
        static List<string> List(string text) => text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var relation = new DisclosureRelation(fields[0].Trim(), over, kind, List(fields[3]), List(fields[4]), fields[5].Trim());
        if (relation.Total.Count == 0) throw new PublishingException($"{where}: 'total' is empty.");
        if (over is RelationAxis.Measures or RelationAxis.YearEnd && (relation.Total.Count != 1 || relation.Parts.Count == 0))
            throw new PublishingException($"{where}: a '{fields[1].Trim()}' relation needs one total and at least one part.");
        return relation;
    }

    /// <summary>A part or total of a measures relation: a measure, maybe at a fixed dimension, or every dimension of a KPI.</summary>
    internal readonly record struct Term(string Measure, string? Dimension, string? Kpi, bool AnyDimension)
    {
        public static Term Parse(string text)
        {
            if (text.StartsWith("kpi:", StringComparison.Ordinal)) return new Term("", null, text[4..], false);
            var open = text.IndexOf('[');
            if (open < 0) return new Term(text, null, null, false);
            var dimension = text[(open + 1)..^1];
            return dimension == "*" ? new Term(text[..open], null, null, true) : new Term(text[..open], dimension, null, false);
        }
    }

    /// <summary>The measures the relations name (totals and parts of the measures and year-end relations).</summary>
    public static IEnumerable<string> MeasuresNamed(IEnumerable<DisclosureRelation> relations) =>
        relations.Where(r => r.Over is RelationAxis.Measures or RelationAxis.YearEnd)
            .SelectMany(r => r.Total.Concat(r.Parts))
            .Select(Term.Parse).Where(t => t.Kpi is null).Select(t => t.Measure).Distinct();
}
