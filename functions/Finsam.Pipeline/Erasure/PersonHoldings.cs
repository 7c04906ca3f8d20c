namespace Finsam.Pipeline.Erasure;

/// <summary>A published version that holds the person's pseudonym (in any of its Parquet or CSV files).</summary>
/// <see cref="BeingWritten"/>: a folder without its manifest above the latest committed version, a publication under way.
public sealed record HeldVersion(string Dataset, int Version, bool IsLatest, IReadOnlyList<string> PointersToIt, bool BeingWritten = false);

/// <summary>
/// Everywhere in storage one person is still held: by identity number in the files as delivered (landing/, raw/,
/// quarantine/), by pseudonym in the curated registrations, the builds' compacted copies of them (curated/compacted/) and published
/// versions.
/// </summary>
public sealed record PersonHoldings(
    IReadOnlyList<string> Landing,
    IReadOnlyList<string> CurrentMonths,
    IReadOnlyList<string> CurrentDeliveries,
    IReadOnlyList<string> Originals,
    IReadOnlyList<string> Quarantined,
    IReadOnlyList<string> Compacted,
    IReadOnlyList<HeldVersion> Versions)
{
    /// <summary>
    /// The person is in the data as it stands (a month's accepted registrations, a file not ingested yet): only a corrected
    /// delivery of those months takes them out, and nothing can be erased before that. <see cref="CurrentDeliveries"/>: the
    /// month's current accepted file of a family ("aspdalen 2025-03 (ledger)") among the originals that hold the number.
    /// </summary>
    public bool NeedsCorrectedDeliveries => CurrentMonths.Count > 0 || CurrentDeliveries.Count > 0 || Landing.Count > 0;

    public bool Nowhere => Landing.Count == 0 && CurrentMonths.Count == 0 && Originals.Count == 0 && Quarantined.Count == 0 && Compacted.Count == 0 && Versions.Count == 0;
}

/// <summary>What an erasure did: the new versions it published first, what it deleted, and where the person is afterwards (nowhere).</summary>
public sealed record ErasureResult(
    PersonHoldings Before,
    IReadOnlyList<string> Published,
    IReadOnlyList<string> Deleted,
    PersonHoldings After);
