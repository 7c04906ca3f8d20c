using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Google.OrTools.Sat;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// The integer optimum of one count over a component's relations (CP-SAT), for the audit's narrow intervals
/// (<see cref="IntervalAudit"/>). Within one release (<see cref="Remember"/>), optima are remembered by the programme's whole
/// text: the same programme has the same optimum, whichever audit meets it. A release's whole audit after the choice of
/// complements and the audit of the member table read back solve many of the same programmes, and so do the rounds of the
/// choice where a component did not change. Only within one release: a remembered optimum gives no solution to observe, so
/// what a process solved before would change which counts the audit decides by solutions, and with it the order of its
/// linear programmes; a release is made the same way whatever the process did before.
/// </summary>
internal static class IntegerProgram
{
    /// <summary>A relation: the sum of its terms is equal to, or at most, <see cref="Right"/>.</summary>
    public sealed record Relation((int Node, int Coefficient)[] Terms, long Right, bool Equality);

    /// <summary>
    /// CP-SAT's parameters: one worker, at most 10 s, and a presolve of one pass without probing or symmetry detection. A
    /// component's programmes differ only in their objective, and CP-SAT spent most of each solve presolving the same relations
    /// again: 400 programmes of a county's seventh monthly release (2 221 counts and 3 114 relations each) took 17.3 s with these
    /// instead of 29.5 s, to the same optima (docs/benchmarks.md, "The county's later months"). A parameter changes the work,
    /// never an optimum.
    /// </summary>
    internal const string Parameters = "max_time_in_seconds:10 num_workers:1 max_presolve_iterations:1 cp_model_probing_level:0 symmetry_level:0";

    /// <summary>The optima of the release being made (null: none remembered).</summary>
    private static readonly AsyncLocal<ConcurrentDictionary<string, long>?> Optima = new();
    /// <summary>At most this many optima are remembered (about 20 MB); then they are forgotten and solved again as they come.</summary>
    private const int MaxOptima = 100_000;

    /// <summary>
    /// Remembers optima until the scope returned is disposed: one release's protection and audits. Within a scope already open,
    /// the same optima (the scope returned then does nothing).
    /// </summary>
    public static IDisposable Remember()
    {
        if (Optima.Value is not null) return new Scope(null);
        var optima = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        Optima.Value = optima;
        return new Scope(optima);
    }

    private sealed class Scope(ConcurrentDictionary<string, long>? opened) : IDisposable
    {
        public void Dispose()
        {
            if (opened is not null && ReferenceEquals(Optima.Value, opened)) Optima.Value = null;
        }
    }

    /// <summary>
    /// The smallest (or largest) value of <paramref name="objective"/> in whole counts; null when CP-SAT did not prove it in time
    /// (then the caller keeps the relaxation's bound, which contains it). <paramref name="solved"/>: whether CP-SAT ran, or the
    /// optimum was remembered.
    /// </summary>
    /// <param name="variables">Every variable of the component: its fixed value, or its smallest value.</param>
    /// <param name="observe">Given each variable's value in the optimal solution CP-SAT found, where it ran: values in whole counts that
    /// the variables can take together (the audit decides other counts by them). Not where the optimum was remembered, nor where
    /// CP-SAT ran out of time (what it found then would depend on the machine's speed).</param>
    public static long? Optimum(IReadOnlyList<(int Node, long Lower, long? Fixed)> variables, IReadOnlyList<Relation> relations, int objective, bool maximise,
        out bool solved, Action<int, long>? observe = null)
    {
        var optima = Optima.Value;
        var key = optima is null ? null : Key(variables, relations, objective, maximise);
        solved = false;
        if (optima is not null && optima.TryGetValue(key!, out var known)) return known;
        var model = new CpModel();
        var vars = variables.ToDictionary(v => v.Node, v => v.Fixed is { } value ? model.NewConstant(value) : model.NewIntVar(v.Lower, 1_000_000_000, "x" + v.Node));
        foreach (var r in relations)
        {
            var expression = LinearExpr.WeightedSum(r.Terms.Select(t => vars[t.Node]), r.Terms.Select(t => (long)t.Coefficient));
            if (r.Equality) model.Add(expression == r.Right); else model.Add(expression <= r.Right);
        }
        if (maximise) model.Maximize(vars[objective]); else model.Minimize(vars[objective]);
        var solver = new CpSolver { StringParameters = Parameters };
        solved = true;
        if (solver.Solve(model) != CpSolverStatus.Optimal) return null;
        if (observe is not null)
            foreach (var (node, v) in vars) observe(node, solver.Value(v));
        var optimum = (long)Math.Round(solver.ObjectiveValue);
        // Only optima are remembered: a programme not solved in time is tried again where it comes again.
        if (optima is not null)
        {
            if (optima.Count >= MaxOptima) optima.Clear();
            optima[key!] = optimum;
        }
        return optimum;
    }

    /// <summary>The programme's whole text, hashed: each variable's domain or value, each relation, the objective.</summary>
    private static string Key(IReadOnlyList<(int Node, long Lower, long? Fixed)> variables, IReadOnlyList<Relation> relations, int objective, bool maximise)
    {
        var text = new StringBuilder();
        foreach (var (node, lower, value) in variables) text.Append('x').Append(node).Append(value is { } v ? "=" + v : ">=" + lower).Append(';');
        foreach (var r in relations)
        {
            foreach (var (node, coefficient) in r.Terms) text.Append(coefficient).Append('x').Append(node).Append(' ');
            text.Append(r.Equality ? "==" : "<=").Append(r.Right).Append(';');
        }
        text.Append(maximise ? "max x" : "min x").Append(objective);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
