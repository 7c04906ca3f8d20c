using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Contract;

/// <summary>
/// Collects the issues of one file. Keeps the first <see cref="MaxKeptIssues"/> of each severity
/// in full and counts the rest, so a file with an error on every line still gives a readable report.
/// A parser stops reading once the report is full (<see cref="IsFull"/>, <see cref="StopReading"/>): a file of garbage
/// is not read to its end, and the report says where reading stopped.
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

    /// <summary>As many errors as the report keeps: reading further would add nothing a person can use.</summary>
    public bool IsFull => ErrorCount >= MaxKeptIssues;

    /// <summary>The line after which the file was not read (the report was full, or it could not be read on); null when read to its end.</summary>
    public int? ReadStoppedAtLine { get; private set; }

    public bool ReadingStopped => ReadStoppedAtLine is not null;

    /// <summary>The line of the error that filled the report.</summary>
    private int? _filledAtLine;

    /// <summary>Records that reading stopped after <paramref name="line"/> (by default the line of the error that filled the report).</summary>
    public void StopReading(int? line = null) => ReadStoppedAtLine ??= line ?? _filledAtLine ?? 0;

    public void Add(ValidationIssue issue)
    {
        var kept = issue.Severity == Severity.Error ? ErrorCount++ : WarningCount++;
        if (issue.Severity == Severity.Error && ErrorCount == MaxKeptIssues) _filledAtLine = issue.Line;
        if (kept >= MaxKeptIssues) return;
        // Last line of defence: nothing shaped like an identity number leaves through a report.
        _issues.Add(issue with
        {
            Value = issue.Value is null ? null : FreeTextMasker.Masked(issue.Value),
            MessageSv = FreeTextMasker.Masked(issue.MessageSv),
            MessageEn = FreeTextMasker.Masked(issue.MessageEn),
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
        if (other.ReadStoppedAtLine is { } line) StopReading(line);
    }

    /// <summary>
    /// Adds the issues of a part of a file read on its own, in order, as if this report had read that part itself: at the
    /// error that fills this report, reading stops there and the rest of the part is left out. Parts are merged in file order
    /// until <see cref="ReadingStopped"/>, so the report is the same however the file was split.
    /// </summary>
    public void MergePart(ValidationReport part, Func<ValidationIssue, bool>? keep = null)
    {
        foreach (var issue in part.Issues)
        {
            if (!(keep?.Invoke(issue) ?? true)) continue;
            Add(issue);
            if (IsFull)
            {
                StopReading();
                return;
            }
        }
        // Not full: the part's omitted issues are warnings, or it stopped on its own (a field that never ended).
        WarningCount += part.WarningCount - part.Issues.Count(i => i.Severity == Severity.Warning);
        ErrorCount += part.ErrorCount - part.Issues.Count(i => i.Severity == Severity.Error);
        if (part.ReadStoppedAtLine is { } line) StopReading(line);
    }

    public void Error(string code, int? line, string? column, string? value, string messageSv, string messageEn) =>
        Add(new ValidationIssue(Severity.Error, code, line, column, value, messageSv, messageEn));

    public void Warning(string code, int? line, string? column, string? value, string messageSv, string messageEn) =>
        Add(new ValidationIssue(Severity.Warning, code, line, column, value, messageSv, messageEn));
}
