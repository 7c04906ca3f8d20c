using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Finsam.Pipeline.Curated;

/// <summary>curated/ingestion_log: one row per file processed, accepted, rejected or a duplicate.</summary>
public sealed class IngestionLogRow
{
    [JsonPropertyName("file_sha256")] public string FileSha256 { get; set; } = "";
    [JsonPropertyName("landing_path")] public string LandingPath { get; set; } = "";
    [JsonPropertyName("file_name")] public string FileName { get; set; } = "";
    [JsonPropertyName("federation_id")] public string? FederationId { get; set; }
    [JsonPropertyName("file_period")] public string? FilePeriod { get; set; }
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("encoding")] public string? Encoding { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("row_count")] public int RowCount { get; set; }
    [JsonPropertyName("opening_balance_count")] public int OpeningBalanceCount { get; set; }
    [JsonPropertyName("error_count")] public int ErrorCount { get; set; }
    [JsonPropertyName("warning_count")] public int WarningCount { get; set; }
    [JsonPropertyName("masked_text_count")] public int MaskedTextCount { get; set; }
    [JsonPropertyName("received_at"), ParquetTimestamp] public DateTime ReceivedAt { get; set; }
    [JsonPropertyName("ingested_at"), ParquetTimestamp] public DateTime IngestedAt { get; set; }
    [JsonPropertyName("report_path")] public string? ReportPath { get; set; }
    [JsonPropertyName("message")] public string Message { get; set; } = "";
}
