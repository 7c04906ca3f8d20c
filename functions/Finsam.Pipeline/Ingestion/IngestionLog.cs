using System.Globalization;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Ingestion;

/// <summary>
/// The ingestion_log data set: one small Parquet file per processed file, named
/// {ingested-at}_{family}_{status}_{sha256}_{nonce}.parquet inside the file's federation/period partition,
/// so earlier outcomes can be looked up from a listing alone.
/// </summary>
public sealed class IngestionLog(IBlobStore store)
{
    public sealed record Entry(DateTime IngestedAt, string Family, string Status, string Sha256);

    /// <summary>The status of a file whose rows are curated.</summary>
    public const string Accepted = "accepted";

    public static string EntryName(string federation, string period, Entry e) =>
        CuratedLayout.Partition(CuratedLayout.IngestionLog, federation, period) +
        $"{e.IngestedAt:yyyyMMdd'T'HHmmssfff'Z'}_{e.Family}_{e.Status}_{e.Sha256}_{Nonce()}.parquet";

    /// <summary>Eight random hex digits that keep names unique when the same file is seen twice in the same millisecond.</summary>
    public static string Nonce() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    public async Task<List<Entry>> EntriesAsync(string federation, string period, CancellationToken ct)
    {
        var entries = new List<Entry>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedLayout.Partition(CuratedLayout.IngestionLog, federation, period), ct))
            if (ParseName(blob.Name) is { } entry) entries.Add(entry);
        return entries;
    }

    /// <summary>Every entry of every partition, read from the listing alone.</summary>
    public async Task<List<Entry>> AllEntriesAsync(CancellationToken ct)
    {
        var entries = new List<Entry>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedLayout.IngestionLog + "/", ct))
            if (ParseName(blob.Name) is { } entry) entries.Add(entry);
        return entries;
    }

    /// <summary>An entry with the federation and month of its partition.</summary>
    public sealed record PartitionEntry(string Federation, string Period, Entry Entry);

    /// <summary>Every entry with its partition's federation and month, read from the listing alone (federation=…/period=…).</summary>
    public async Task<List<PartitionEntry>> AllPartitionEntriesAsync(CancellationToken ct)
    {
        var entries = new List<PartitionEntry>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedLayout.IngestionLog + "/", ct))
        {
            var parts = blob.Name.Split('/');
            var federation = parts.FirstOrDefault(p => p.StartsWith("federation=", StringComparison.Ordinal))?["federation=".Length..];
            var period = parts.FirstOrDefault(p => p.StartsWith("period=", StringComparison.Ordinal))?["period=".Length..];
            if (federation is not null && period is not null && ParseName(blob.Name) is { } entry)
                entries.Add(new PartitionEntry(federation, period, entry));
        }
        return entries;
    }

    /// <summary>Each federation's months with an accepted file.</summary>
    public async Task<ILookup<string, string>> AcceptedMonthsAsync(CancellationToken ct) =>
        (await AllPartitionEntriesAsync(ct)).Where(e => e.Entry.Status == Accepted)
            .Select(e => (e.Federation, e.Period)).Distinct().ToLookup(m => m.Federation, m => m.Period);

    private static Entry? ParseName(string name)
    {
        var parts = Path.GetFileNameWithoutExtension(BlobName.FileName(name)).Split('_');
        return parts.Length == 5 && DateTime.TryParseExact(parts[0], "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new Entry(at, parts[1], parts[2], parts[3])
            : null;
    }

    public async Task WriteAsync(string federation, string period, IngestionLogRow row, CancellationToken ct)
    {
        var entry = new Entry(row.IngestedAt, FamilyOf(row.Kind), row.Status, row.FileSha256);
        var bytes = await ParquetBytes.SerializeAsync([row], ct);
        await store.WriteAsync(Containers.Curated, EntryName(federation, period, entry), bytes, WriteCondition.Overwrite, ct);
    }

    private static string FamilyOf(string kind) => Enum.TryParse<FileKind>(kind, out var k) ? k.Family() : "unknown";
}
