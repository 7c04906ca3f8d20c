using System.Text;
using System.Text.RegularExpressions;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Failures;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Text;
using Finsam.Pipeline.Versions;
using Parquet;

namespace Finsam.Pipeline.Erasure;

/// <summary>
/// Erasure of one person (a registration made by mistake, an objection that holds). The data as it stands is the
/// federations' to correct: each month whose accepted registrations hold the person needs a corrected export, which
/// replaces the month in curated/ like any delivery. Once none does, <see cref="EraseAsync"/> takes the person out of
/// everything else stored: it publishes a new version of each dataset whose latest version still holds the pseudonym,
/// then deletes every version that holds it (and any pointer to one), every original in raw/ and every blob in
/// quarantine/ that holds the identity number, and the builds' compacted copies of registrations that hold the pseudonym. Copies the storage keeps after a delete (soft delete, blob
/// versions) go when their own retention ends.
/// </summary>
public sealed class PersonErasure(IBlobStore store, Pseudonymizer pseudonymizer, BuildAndPublish publishing, DatasetVersions versions)
{
    private const string PseudonymColumn = "person_pseudonym";

    /// <summary>Where the person is held now; nothing is changed.</summary>
    public async Task<PersonHoldings> FindAsync(PersonalIdentityNumber person, CancellationToken ct = default)
    {
        var number = NumberPattern(person);
        var pseudonym = pseudonymizer.Pseudonymize(person);
        var landing = await BlobsHoldingNumberAsync(Containers.Landing, number, ct);
        var originals = await BlobsHoldingNumberAsync(Containers.Raw, number, ct);
        var quarantined = await BlobsHoldingNumberAsync(Containers.Quarantine, number, ct);
        // An original that is still a month's accepted delivery (a ledger whose voucher text names the person, say) is the
        // only copy of that month's data: the federation replaces it with a corrected delivery first.
        var current = (await new IngestionLog(store).AllPartitionEntriesAsync(ct))
            .Where(e => e.Entry.Status == IngestionLog.Accepted)
            .GroupBy(e => (e.Federation, e.Period, e.Entry.Family))
            .Select(g => g.MaxBy(e => e.Entry.IngestedAt)!)
            .ToLookup(e => e.Entry.Sha256, e => (Month: $"{e.Federation} {e.Period}", e.Entry.Family));

        var months = new List<string>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedLayout.Registrations + "/", ct))
            if (blob.Name.EndsWith(".parquet", StringComparison.Ordinal)
                && await ParquetHoldsAsync((await store.ReadAsync(Containers.Curated, blob.Name, ct)).Bytes, pseudonym, ct))
                months.Add(MonthOf(blob.Name));
        // The builds' compacted copies of the registrations: made again from the months as they stand by the next build.
        var derived = new List<string>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedCache.StoredPrefix + CuratedLayout.Registrations + "/", ct))
            if (await ParquetHoldsAsync((await store.ReadAsync(Containers.Curated, blob.Name, ct)).Bytes, pseudonym, ct))
                derived.Add(blob.Name);

        var held = new List<HeldVersion>();
        foreach (var dataset in PublishedLayout.Datasets)
        {
            var state = await versions.ReadStateAsync(dataset, ct);
            foreach (var folder in state.Folders)
            {
                if (!await VersionHoldsAsync(folder, pseudonym, ct)) continue;
                held.Add(new HeldVersion(dataset, folder.Version, state.Latest?.Pointer.Version == folder.Version,
                    state.Pointers.Where(p => p.Pointer.Version == folder.Version).Select(p => p.Name).ToList(),
                    BeingWritten: !folder.Committed && folder.Version > (state.LatestCommitted ?? 0)));
            }
        }
        // A month whose registrations hold the person is named once, as such.
        var currentDeliveries = originals.SelectMany(sha => current[sha]).Where(d => !months.Contains(d.Month))
            .Select(d => $"{d.Month} ({d.Family})").Order(StringComparer.Ordinal).ToList();
        return new PersonHoldings(landing, months.Distinct().ToList(), currentDeliveries, originals, quarantined, derived, held);
    }

    /// <summary>
    /// Takes the person out of everything stored, once no month's accepted data holds them.
    /// </summary>
    /// <param name="found">What <see cref="FindAsync"/> has just found, when the caller has it: not looked for again.</param>
    /// <exception cref="ErasureBlockedException">A month or a landing file still holds the person; nothing was changed.</exception>
    public async Task<ErasureResult> EraseAsync(PersonalIdentityNumber person, PersonHoldings? found = null, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var before = found ?? await FindAsync(person, ct);
        if (before.NeedsCorrectedDeliveries) throw new ErasureBlockedException(before);

        // Readers follow latest: it moves to a version without the person before any version is deleted.
        var published = new List<string>();
        foreach (var latest in before.Versions.Where(v => v.IsLatest))
        {
            progress?.Report($"Publishing a new {latest.Dataset} version without the person (v{latest.Version} holds them)");
            var result = latest.Dataset == PublishedLayout.KpiDataset
                ? await publishing.ReleaseAsync(progress, ct)
                : await publishing.RunAsync(progress, ct);
            if (result.Status != BuildAndPublishStatus.Published)
                throw new ErasureFailedException($"No new {latest.Dataset} version could be published ({result.Describe()}), so v{latest.Version}, which holds the person, stays the latest one. Nothing was deleted.");
            published.Add(result.Describe());
        }

        // Where the person is once latest has moved; without a new version that is where they were.
        var now = published.Count == 0 ? before : await FindAsync(person, ct);
        if (now.NeedsCorrectedDeliveries) throw new ErasureBlockedException(now);
        if (now.Versions.FirstOrDefault(v => v.BeingWritten) is { } writing)
            throw new ErasureFailedException($"{writing.Dataset} v{writing.Version} is being published now, from data that held the person. Nothing was deleted: run the erasure again when that publication has ended.");
        if (now.Versions.FirstOrDefault(v => v.IsLatest) is { } stillLatest)
            throw new ErasureFailedException($"The new {stillLatest.Dataset} version v{stillLatest.Version} still holds the person. Nothing was deleted.");

        var deleted = new List<string>();
        foreach (var version in now.Versions)
        {
            progress?.Report($"Deleting {version.Dataset} v{version.Version}");
            foreach (var pointer in version.PointersToIt)
                if (await store.DeleteAsync(Containers.Published, PublishedLayout.Pointer(version.Dataset, pointer), ct: ct))
                    deleted.Add($"{Containers.Published}/{PublishedLayout.Pointer(version.Dataset, pointer)}");
            // As retention removes a version: the manifest first, so it stops being visible before its files go.
            foreach (var name in await new Retention(store).RemoveVersionAsync(version.Dataset, version.Version, ct))
                deleted.Add($"{Containers.Published}/{name}");
        }
        foreach (var (container, names) in new[] { (Containers.Raw, now.Originals), (Containers.Quarantine, now.Quarantined), (Containers.Curated, now.Compacted) })
            foreach (var name in names)
            {
                progress?.Report($"Deleting {container}/{FreeTextMasker.Masked(name)}");
                if (await store.DeleteAsync(container, name, ct: ct)) deleted.Add($"{container}/{name}");
            }

        return new ErasureResult(before, published, deleted, await FindAsync(person, ct));
    }

    /// <summary>
    /// The number in every way a file may write it: 12 digits or the last 10, the date in one run or with one separator
    /// between year, month and day (1965-06-17), and up to three characters that are not digits before the last four
    /// ('-', '+', a space, a dash Excel made, '_' in a quarantined name); not part of a longer run of digits.
    /// </summary>
    internal static Regex NumberPattern(PersonalIdentityNumber person)
    {
        var d = person.Normalized;
        return new Regex($@"(?<!\d)(?:{d[..2]})?{d[2..4]}\D?{d[4..6]}\D?{d[6..8]}\D{{0,3}}{d[8..]}(?!\d)", RegexOptions.CultureInvariant);
    }

    private async Task<List<string>> BlobsHoldingNumberAsync(string container, Regex number, CancellationToken ct)
    {
        var names = new List<string>();
        await foreach (var blob in store.ListAsync(container, "", ct)) names.Add(blob.Name);
        var holding = new List<string>();
        foreach (var name in names)
        {
            byte[] bytes;
            try
            {
                bytes = (await store.ReadAsync(container, name, ct)).Bytes;
            }
            catch (BlobNotFoundException)
            {
                continue; // taken by ingestion or retention meanwhile
            }
            if (HoldsNumber(name, bytes, number)) holding.Add(name);
        }
        return holding;
    }

    /// <summary>In the blob's name, or in its text read as the pipeline reads files (and, for any other bytes, as Latin-1, where digits are themselves).</summary>
    internal static bool HoldsNumber(string name, byte[] bytes, Regex number)
    {
        // Latin-1 with NULs left out also reads UTF-16 (Excel's "Unicode text") digit by digit.
        if (number.IsMatch(name) || number.IsMatch(Encoding.Latin1.GetString(bytes).Replace("\0", "", StringComparison.Ordinal))) return true;
        var (encoding, _) = TextDecoding.Detect(bytes);
        return number.IsMatch(TextDecoding.Decode(bytes, encoding));
    }

    private async Task<bool> VersionHoldsAsync(VersionFolder folder, string pseudonym, CancellationToken ct)
    {
        foreach (var blob in folder.Blobs)
        {
            if (!blob.Name.EndsWith(".parquet", StringComparison.Ordinal) && !blob.Name.EndsWith(".csv", StringComparison.Ordinal)) continue;
            var bytes = (await store.ReadAsync(Containers.Published, blob.Name, ct)).Bytes;
            if (blob.Name.EndsWith(".csv", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(bytes).Contains(pseudonym, StringComparison.Ordinal)
                : await ParquetHoldsAsync(bytes, pseudonym, ct))
                return true;
        }
        return false;
    }

    /// <summary>Whether a Parquet file's person_pseudonym column holds the pseudonym (read, not searched as bytes: pages are compressed).</summary>
    private static async Task<bool> ParquetHoldsAsync(byte[] bytes, string pseudonym, CancellationToken ct)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct);
        var field = reader.Schema.GetDataFields().FirstOrDefault(f => f.Name == PseudonymColumn);
        if (field is null) return false;
        for (var i = 0; i < reader.RowGroupCount; i++)
        {
            using var group = reader.OpenRowGroupReader(i);
            var values = new string?[group.RowCount];
            await group.ReadAsync(field, values.AsMemory(), cancellationToken: ct);
            if (values.Contains(pseudonym, StringComparer.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>"granmo 2025-03" from registrations/federation=granmo/period=2025-03/data.parquet.</summary>
    private static string MonthOf(string name)
    {
        var parts = name.Split('/');
        return parts.Length >= 3 ? $"{parts[1].Replace("federation=", "", StringComparison.Ordinal)} {parts[2].Replace("period=", "", StringComparison.Ordinal)}" : name;
    }
}

/// <summary>The person is in the data as it stands; the federations must deliver corrected exports of those months first.</summary>
public sealed class ErasureBlockedException(PersonHoldings holdings) : FixableException(Describe(holdings))
{
    public PersonHoldings Holdings { get; } = holdings;

    private static string Describe(PersonHoldings h)
    {
        var parts = new List<string>();
        if (h.CurrentMonths.Count > 0)
            parts.Add($"the accepted registrations of {string.Join(", ", h.CurrentMonths)} hold the person: the federation delivers a corrected participant export of each of these months without them, and it is ingested");
        if (h.CurrentDeliveries.Count > 0)
            parts.Add($"the accepted deliveries of {string.Join(", ", h.CurrentDeliveries)} hold the identity number in their text and are the only copy of that month's data: the federation delivers a corrected file of each of these months, and it is ingested");
        if (h.Landing.Count > 0)
            parts.Add($"{h.Landing.Count} file(s) in landing hold the person and are not ingested yet ({string.Join(", ", h.Landing.Select(FreeTextMasker.Masked))}): wait for ingestion (a file the pipeline gave up on is deleted from landing by hand), then correct those months too");
        return "Nothing was erased: " + string.Join("; ", parts) + ". Then run the erasure again.";
    }
}

public sealed class ErasureFailedException(string message) : FixableException(message);
