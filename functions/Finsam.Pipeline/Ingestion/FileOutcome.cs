namespace Finsam.Pipeline.Ingestion;

public enum FileStatus
{
    /// <summary>Curated.</summary>
    Accepted,
    /// <summary>Quarantined with a report.</summary>
    Rejected,
    /// <summary>The same bytes as before: nothing to do.</summary>
    Duplicate,
    /// <summary>Gone from landing before it was read (another run took it).</summary>
    Changed,
    /// <summary>Could not be processed (storage fault); left in landing for the next run.</summary>
    Failed,
}

/// <summary>What happened to one landing file.</summary>
public sealed record FileOutcome(
    string LandingName,
    FileStatus Status,
    string Sha256,
    FileKind Kind,
    string? FederationId,
    string? Period,
    int RowCount,
    int ErrorCount,
    int WarningCount,
    int MaskedTextCount,
    string? ReportPath,
    string Message)
{
    /// <summary>
    /// An outcome that changed nothing: the file left landing or changed before it was read, could not be processed, or
    /// was the same bytes again. Nothing was read, written or quarantined, so it has no rows, issues or report.
    /// </summary>
    public static FileOutcome NothingDone(string landingName, FileStatus status, string message, string sha256 = "", FileKind kind = FileKind.Unknown,
        string? federationId = null, string? period = null) =>
        status is FileStatus.Changed or FileStatus.Failed or FileStatus.Duplicate
            ? new(landingName, status, sha256, kind, federationId, period, RowCount: 0, ErrorCount: 0, WarningCount: 0, MaskedTextCount: 0, ReportPath: null, message)
            : throw new ArgumentException($"A file {status} did something: it has rows or a report.", nameof(status));
}

/// <summary>The result of one ingestion run.</summary>
public sealed record IngestionSummary(IReadOnlyList<FileOutcome> Files)
{
    public int Accepted => Files.Count(f => f.Status == FileStatus.Accepted);
    public int Rejected => Files.Count(f => f.Status == FileStatus.Rejected);
    public int Duplicates => Files.Count(f => f.Status == FileStatus.Duplicate);
    public int Failed => Files.Count(f => f.Status == FileStatus.Failed);
}

/// <summary>Progress of a run: file <see cref="Index"/> of <see cref="Total"/> has just been processed.</summary>
public sealed record IngestionProgress(int Index, int Total, FileOutcome Outcome);
