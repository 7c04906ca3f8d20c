namespace Finsam.Pipeline.Storage;

/// <summary>The containers of the pipeline, in the order data flows through them.</summary>
public static class Containers
{
    /// <summary>Where federations drop files: landing/{federation}/{yyyy-MM}/{file}.</summary>
    public const string Landing = "landing";
    /// <summary>Immutable archive of every original file, accepted or rejected, keyed by SHA-256.</summary>
    public const string Raw = "raw";
    /// <summary>Validated, pseudonymised Parquet, Hive-partitioned.</summary>
    public const string Curated = "curated";
    /// <summary>Rejected files with their JSON and text reports.</summary>
    public const string Quarantine = "quarantine";
    /// <summary>Controller-maintained reference data (federations.csv, account mapping …).</summary>
    public const string Reference = "reference";
    /// <summary>Immutable published versions: {dataset}/v{N}/… with a manifest, and {dataset}/latest.json.</summary>
    public const string Published = "published";

    public static IReadOnlyList<string> All { get; } = [Landing, Raw, Curated, Quarantine, Reference, Published];
}
