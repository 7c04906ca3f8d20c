using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Finsam.Pipeline.Contract;

namespace Finsam.Pipeline.Ingestion;

/// <summary>
/// The report written beside a quarantined file, as JSON for tools and as text for people.
/// Values in it are already masked (identity numbers as 19900101-****).
/// </summary>
public sealed record RejectionReport(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("landing_path")] string LandingPath,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("federation_id")] string? FederationId,
    [property: JsonPropertyName("period")] string? Period,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("received_at")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("checked_at")] DateTimeOffset CheckedAt,
    [property: JsonPropertyName("error_count")] int ErrorCount,
    [property: JsonPropertyName("warning_count")] int WarningCount,
    [property: JsonPropertyName("omitted_count")] int OmittedCount,
    [property: JsonPropertyName("issues")] IReadOnlyList<ReportedIssue> Issues,
    [property: JsonPropertyName("read_stopped_at_line")] int? ReadStoppedAtLine = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RejectionReport Create(string file, string landingPath, string sha256, string? federationId, string? period, FileKind kind,
        DateTimeOffset receivedAt, DateTimeOffset checkedAt, ValidationReport report) =>
        new(file, landingPath, sha256, federationId, period, kind.ToString(), receivedAt, checkedAt,
            report.ErrorCount, report.WarningCount, report.OmittedCount,
            report.Issues.Select(ReportedIssue.From).ToList(), report.ReadStoppedAtLine);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Filen avvisades / The file was rejected: {File}");
        sb.AppendLine($"Sökväg / Landing path: {LandingPath}");
        sb.AppendLine($"Förbund / Federation: {FederationId ?? "-"}   Månad / Month: {Period ?? "-"}   Typ / Kind: {Kind}");
        sb.AppendLine($"SHA-256: {Sha256}");
        sb.AppendLine($"Fel / Errors: {ErrorCount}   Varningar / Warnings: {WarningCount}");
        sb.AppendLine();
        foreach (var issue in Issues)
        {
            var where = issue.Line is null ? "" : issue.Column is { Length: > 0 } ? $"rad/line {issue.Line}, kolumn/column {issue.Column}" : $"rad/line {issue.Line}";
            if (where.Length == 0 && issue.Column is { Length: > 0 }) where = $"kolumn/column {issue.Column}";
            sb.AppendLine($"[{issue.Severity}] {where}{(issue.Value is null ? "" : $" – värde/value '{issue.Value}'")}");
            sb.AppendLine($"    {issue.MessageSv}");
            sb.AppendLine($"    {issue.MessageEn}");
        }
        if (OmittedCount > 0) sb.AppendLine($"… och ytterligare {OmittedCount} / and {OmittedCount} more.");
        if (ReadStoppedAtLine is { } line)
            sb.AppendLine($"Läsningen avbröts efter rad {line}; resten av filen lästes inte. / Reading stopped after line {line}; the rest of the file was not read.");
        sb.AppendLine();
        sb.AppendLine("Rätta filen och lägg den i landing igen. Fix the file and drop it into landing again.");
        return sb.ToString();
    }
}

public sealed record ReportedIssue(
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("line")] int? Line,
    [property: JsonPropertyName("column")] string? Column,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("message_sv")] string MessageSv,
    [property: JsonPropertyName("message_en")] string MessageEn)
{
    public static ReportedIssue From(ValidationIssue i) =>
        new(i.Severity.ToString().ToLowerInvariant(), i.Code, i.Line, i.Column, i.Value, i.MessageSv, i.MessageEn);
}
