namespace Finsam.Pipeline.Ingestion;

public enum FileStatus { Accepted, Rejected, Duplicate, Changed }

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
    string Message);

/// <summary>The result of one ingestion run.</summary>
public sealed record IngestionSummary(IReadOnlyList<FileOutcome> Files)
{
    public int Accepted => Files.Count(f => f.Status == FileStatus.Accepted);
    public int Rejected => Files.Count(f => f.Status == FileStatus.Rejected);
    public int Duplicates => Files.Count(f => f.Status == FileStatus.Duplicate);
}

/// <summary>Progress of a run: file <see cref="Index"/> of <see cref="Total"/> has just been processed.</summary>
public sealed record IngestionProgress(int Index, int Total, FileOutcome Outcome);
