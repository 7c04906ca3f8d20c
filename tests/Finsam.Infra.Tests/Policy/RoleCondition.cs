using System.Text.RegularExpressions;

namespace Finsam.Infra.Tests.Policy;

/// <summary>
/// What a storage role condition (ABAC, version 2.0) names, read from its text: the expressions joined by AND at the
/// top level, and in each the actions it limits, the container names and the blob path or list prefixes it allows.
/// </summary>
public sealed partial record RoleCondition(IReadOnlyList<RoleCondition.Expression> Expressions)
{
    public sealed record Expression(string Text, IReadOnlyList<string> Actions, bool Lists, bool ReadsWithoutList,
        IReadOnlyList<string> Containers, IReadOnlyList<string> Prefixes, IReadOnlyList<string> PathPatterns)
    {
        public bool Limits(string action) => Actions.Contains(action, StringComparer.OrdinalIgnoreCase);
    }

    public static RoleCondition Parse(string condition) =>
        new(SplitTopLevelAnd(condition.Trim()).Select(Read).ToList());

    public IEnumerable<string> AllContainers => Expressions.SelectMany(e => e.Containers).Distinct();
    public IEnumerable<string> AllPrefixes => Expressions.SelectMany(e => e.Prefixes).Distinct();

    /// <summary>The expression that limits a data action (for blobs/read: reading, not listing, unless <paramref name="listing"/>).</summary>
    public Expression? For(string action, bool listing = false) => Expressions.FirstOrDefault(e =>
        e.Limits(action) && (!action.EndsWith("/blobs/read", StringComparison.OrdinalIgnoreCase) || (listing ? e.Lists : e.ReadsWithoutList)));

    private static Expression Read(string text) => new(
        text,
        ActionPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList(),
        text.Contains("AND SubOperationMatches{'Blob.List'}", StringComparison.Ordinal),
        text.Contains("AND NOT SubOperationMatches{'Blob.List'}", StringComparison.Ordinal)
            || (ActionPattern().IsMatch(text) && !text.Contains("SubOperationMatches", StringComparison.Ordinal)),
        ContainerPattern().Matches(text).Select(m => m.Groups[1].Value).ToList(),
        PrefixPattern().Matches(text).Select(m => m.Groups[1].Value).ToList(),
        LikePattern().Matches(text).Select(m => m.Groups[1].Value).ToList());

    private static List<string> SplitTopLevelAnd(string condition)
    {
        var parts = new List<string>();
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < condition.Length; i++)
        {
            var c = condition[i];
            if (c == '\'') inString = !inString;
            if (inString) continue;
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && string.CompareOrdinal(condition, i, " AND ", 0, 5) == 0)
            {
                parts.Add(condition[start..i].Trim());
                start = i + 5;
            }
        }
        parts.Add(condition[start..].Trim());
        return parts;
    }

    [GeneratedRegex(@"ActionMatches\{'([^']+)'\}")]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"containers:name\]\s+StringEquals\s+'([^']*)'")]
    private static partial Regex ContainerPattern();

    [GeneratedRegex(@"blobs:(?:path|prefix)\]\s+StringStartsWith\s+'([^']*)'")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"blobs:path\]\s+StringLike\s+'([^']*)'")]
    private static partial Regex LikePattern();
}
