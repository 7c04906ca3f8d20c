namespace Finsam.Pipeline.Models;

/// <summary>
/// How models are built. DuckDB gets its memory limit, threads and every folder it may write from
/// here, and never loads or installs extensions by itself: a serverless host has a read-only home
/// and no internet.
/// </summary>
public sealed record ModelOptions(string QueriesFolder, string WorkFolder)
{
    /// <summary>DuckDB's own limit; 512 MB keeps a national-scale build under 1 GB for the whole process.</summary>
    public string MemoryLimit { get; init; } = "512MB";
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Local copies of curated blobs, kept between builds and refreshed by ETag.</summary>
    public string CacheFolder => Path.Combine(WorkFolder, "cache");
    /// <summary>The rows of the models built per federation, kept between builds (<see cref="FederationModels"/>).</summary>
    public string ByFederationDatabase => Path.Combine(WorkFolder, "by-federation", "models.duckdb");
    public string TempFolder => Path.Combine(WorkFolder, "duckdb-temp");
    public string HomeFolder => Path.Combine(WorkFolder, "duckdb-home");
    public string ExtensionFolder => Path.Combine(WorkFolder, "duckdb-extensions");
}
