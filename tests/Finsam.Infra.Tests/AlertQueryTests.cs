using System.Text.RegularExpressions;
using Finsam.Infra.Tests.Support;
using static Finsam.Infra.Tests.Support.CompiledInfra;

namespace Finsam.Infra.Tests;

/// <summary>
/// The alert rules look for what the app writes: every quoted word of a rule's query (a function's name, a part of a log
/// message or an exception's text) is a string the app's code holds, so a message reworded in the code cannot leave a rule
/// that never fires.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class AlertQueryTests(CompiledInfra infra)
{
    /// <summary>
    /// Every string literal of the app's C# code under functions/ and every name it writes with <c>nameof</c> (a function's
    /// name), comments left out, one a line.
    /// </summary>
    private static readonly Lazy<string> AppCode = new(() => string.Join("\n",
        Directory.EnumerateFiles(Path.Combine(Tools.RepositoryRoot, "functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select(WithoutComment))
            .SelectMany(line => StringLiteral().Matches(line).Concat(NameOf().Matches(line)).Select(m => m.Groups[1].Value))));

    /// <summary>A line of code without its // comment (a // inside a string literal is kept) and without a /// doc line.</summary>
    private static string WithoutComment(string line)
    {
        var inString = false;
        for (var i = 0; i + 1 < line.Length; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) inString = !inString;
            else if (!inString && line[i] == '/' && line[i + 1] == '/') return line[..i];
        }
        return line.TrimStart().StartsWith('*') ? "" : line;
    }

    private List<(string Name, string Query)> Rules() =>
        Module(infra.Template(), "alerts")["variables"]!["logRules"]!.AsArray()
            .Select(r => (r!["name"]!.GetValue<string>(), r["query"]!.GetValue<string>())).ToList();

    /// <summary>The quoted words of a query that the app's code does not hold.</summary>
    public static List<string> Unknown(string query, string code) =>
        Quoted().Matches(query).Select(m => m.Groups[1].Value).Where(w => !code.Contains(w, StringComparison.Ordinal)).ToList();

    [Fact]
    public void Every_quoted_word_of_every_rule_is_written_by_the_app()
    {
        var rules = Rules();

        Assert.Equal(["ingestion-failed", "build-failed", "release-refused", "federation-late"], rules.Select(r => r.Name));
        Assert.All(rules, r => Assert.True(Quoted().Matches(r.Query).Count > 0, r.Name));
        Assert.All(rules, r => Assert.Empty(Unknown(r.Query, AppCode.Value)));
    }

    [Fact]
    public void A_word_only_in_a_comment_is_not_taken_for_one_the_app_writes()
    {
        // The words are in the code's comments (ScheduledBuild's summary), not in any string the app writes.
        Assert.Equal(["nobody has to re-drive"], Unknown("AppTraces | where Message has 'nobody has to re-drive'", AppCode.Value));
        Assert.Empty(Unknown("AppTraces | where Message has 'nothing is published'", AppCode.Value));
    }

    [Fact]
    public void A_word_the_app_does_not_write_is_found()
    {
        var query = Rules().Single(r => r.Name == "federation-late").Query.Replace("has no accepted file for", "has not delivered", StringComparison.Ordinal);

        Assert.Equal(["has not delivered"], Unknown(query, AppCode.Value));
    }

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\bnameof\((\w+)\)")]
    private static partial Regex NameOf();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex StringLiteral();
}
