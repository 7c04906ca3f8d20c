using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Contract;

/// <summary>
/// Collects the issues of one file. Keeps the first <see cref="MaxKeptIssues"/> of each severity
/// in full and counts the rest, so a file with an error on every line still gives a readable report.
/// </summary>
public sealed class ValidationReport
{
    public const int MaxKeptIssues = 1000;
    private readonly List<ValidationIssue> _issues = [];

    public int ErrorCount { get; private set; }
    public int WarningCount { get; private set; }
    public bool HasErrors => ErrorCount > 0;
    public IReadOnlyList<ValidationIssue> Issues => _issues;
    public IEnumerable<ValidationIssue> Errors => _issues.Where(i => i.Severity == Severity.Error);
    public IEnumerable<ValidationIssue> Warnings => _issues.Where(i => i.Severity == Severity.Warning);
    /// <summary>Issues counted but not kept in <see cref="Issues"/>.</summary>
    public int OmittedCount => ErrorCount + WarningCount - _issues.Count;

    public void Add(ValidationIssue issue)
    {
        var kept = issue.Severity == Severity.Error ? ErrorCount++ : WarningCount++;
        if (kept >= MaxKeptIssues) return;
        // Last line of defence: nothing shaped like an identity number leaves through a report.
        _issues.Add(issue with
        {
            Value = issue.Value is null ? null : FreeTextMasker.Mask(issue.Value).Text,
            MessageSv = FreeTextMasker.Mask(issue.MessageSv).Text,
            MessageEn = FreeTextMasker.Mask(issue.MessageEn).Text,
        });
    }

    /// <summary>Adds another report's issues (those <paramref name="keep"/> accepts) and its counts of omitted ones.</summary>
    public void Merge(ValidationReport other, Func<ValidationIssue, bool>? keep = null)
    {
        foreach (var issue in other.Issues)
            if (keep?.Invoke(issue) ?? true) Add(issue);
        var omittedErrors = other.ErrorCount - other.Issues.Count(i => i.Severity == Severity.Error);
        var omittedWarnings = other.WarningCount - other.Issues.Count(i => i.Severity == Severity.Warning);
        ErrorCount += omittedErrors;
        WarningCount += omittedWarnings;
    }

    public void Error(string code, int? line, string? column, string? value, string messageSv, string messageEn) =>
        Add(new ValidationIssue(Severity.Error, code, line, column, value, messageSv, messageEn));

    public void Warning(string code, int? line, string? column, string? value, string messageSv, string messageEn) =>
        Add(new ValidationIssue(Severity.Warning, code, line, column, value, messageSv, messageEn));
}
