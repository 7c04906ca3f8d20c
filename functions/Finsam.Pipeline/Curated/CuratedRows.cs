using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Finsam.Pipeline.Curated;

// Curated Parquet rows. The partition path (federation=…/period=…) carries federation and landing
// month; DuckDB and Spark add them as columns when reading with hive partitioning. Every row points
// back to its input file (source_sha256, source_line). See docs/data-contract.md.

/// <summary>curated/ledger: one row per transaction of a voucher.</summary>
public sealed class LedgerRow
{
    [JsonPropertyName("voucher_series")] public string VoucherSeries { get; set; } = "";
    [JsonPropertyName("voucher_number")] public string VoucherNumber { get; set; } = "";
    [JsonPropertyName("voucher_date")] public DateOnly VoucherDate { get; set; }
    [JsonPropertyName("voucher_text")] public string VoucherText { get; set; } = "";
    [JsonPropertyName("transaction_date")] public DateOnly TransactionDate { get; set; }
    [JsonPropertyName("account")] public string Account { get; set; } = "";
    [JsonPropertyName("amount"), ParquetDecimal(18, 2)] public decimal Amount { get; set; }
    [JsonPropertyName("cost_objects")] public string CostObjects { get; set; } = "";
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    [JsonPropertyName("source_format")] public string SourceFormat { get; set; } = "";
    [JsonPropertyName("source_sha256")] public string SourceSha256 { get; set; } = "";
    [JsonPropertyName("source_line")] public int SourceLine { get; set; }
}

/// <summary>curated/opening_balances: #IB 0 or CSV "IB" rows; the latest month's file of a year wins.</summary>
public sealed class OpeningBalanceRow
{
    [JsonPropertyName("year")] public int Year { get; set; }
    [JsonPropertyName("account")] public string Account { get; set; } = "";
    [JsonPropertyName("amount"), ParquetDecimal(18, 2)] public decimal Amount { get; set; }
    [JsonPropertyName("source_sha256")] public string SourceSha256 { get; set; } = "";
    [JsonPropertyName("source_line")] public int SourceLine { get; set; }
}

/// <summary>curated/registrations: one row per registration in an intervention; no identity number.</summary>
public sealed class RegistrationRow
{
    [JsonPropertyName("registrering_id")] public string RegistreringId { get; set; } = "";
    /// <summary>HMAC-SHA-256 of the identity number; null for anonymous registrations.</summary>
    [JsonPropertyName("person_pseudonym")] public string? PersonPseudonym { get; set; }
    [JsonPropertyName("anonym")] public bool Anonym { get; set; }
    [JsonPropertyName("kon")] public string Kon { get; set; } = "";
    [JsonPropertyName("fodelsear")] public int? Fodelsear { get; set; }
    [JsonPropertyName("kommun")] public string? Kommun { get; set; }
    [JsonPropertyName("insats_id")] public string InsatsId { get; set; } = "";
    [JsonPropertyName("insats_namn")] public string InsatsNamn { get; set; } = "";
    [JsonPropertyName("insats_typ")] public string InsatsTyp { get; set; } = "";
    [JsonPropertyName("startdatum")] public DateOnly Startdatum { get; set; }
    [JsonPropertyName("slutdatum")] public DateOnly? Slutdatum { get; set; }
    [JsonPropertyName("utbildning")] public string? Utbildning { get; set; }
    [JsonPropertyName("forsorjning_fore")] public string? ForsorjningFore { get; set; }
    [JsonPropertyName("forsorjning_efter")] public string? ForsorjningEfter { get; set; }
    [JsonPropertyName("avslutsorsak")] public string? Avslutsorsak { get; set; }
    [JsonPropertyName("source_sha256")] public string SourceSha256 { get; set; } = "";
    [JsonPropertyName("source_line")] public int SourceLine { get; set; }
}

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
