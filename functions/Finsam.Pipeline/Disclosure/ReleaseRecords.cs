using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// What every member release published, kept after retention removes the release itself: someone may have downloaded
/// it, so the disclosure audit of each new release must take every earlier one into account. For each committed version
/// N of the <c>kpi</c> dataset, <c>published/audit/kpi/v{N}/</c> holds a copy of its manifest and of the member files an
/// attacker could combine (<see cref="Files"/>), and why each suppressed row was suppressed (<see cref="ReasonsFile"/>),
/// which members never see. Members cannot read the record: their access is <c>published/kpi/</c>.
/// </summary>
public sealed class ReleaseRecords(IBlobStore store)
{
    public const string Prefix = "audit/" + PublishedLayout.KpiDataset + "/";

    /// <summary>The member files whose values the audit needs.</summary>
    public static IReadOnlyList<string> Files { get; } = [PublishedLayout.KpiFile, PublishedLayout.QualityFile];

    /// <summary>Per suppressed row of the release (by its key), why (<c>litet_antal</c>, <c>harledbar</c> …) and the counts it hid.</summary>
    public const string ReasonsFile = "suppression.parquet";

    public static string Folder(int version) => $"{Prefix}v{version}/";

    /// <summary>Copies a committed release's files into its record (inside the store), once, with the reasons when known.</summary>
    public async Task KeepAsync(Manifest release, byte[]? reasons = null, CancellationToken ct = default)
    {
        if (release.Dataset != PublishedLayout.KpiDataset) throw new ArgumentException($"Only member releases ({PublishedLayout.KpiDataset}) are recorded, not {release.Dataset}.");
        var folder = Folder(release.Version);
        if (await store.GetInfoAsync(Containers.Published, folder + PublishedLayout.ManifestFile, ct) is not null) return;
        foreach (var file in Files.Where(f => release.Outputs.Any(o => o.Name == f)))
            await store.CopyAsync(Containers.Published, PublishedLayout.File(release.Dataset, release.Version, file), Containers.Published, folder + file, ct: ct);
        if (reasons is not null) await store.WriteAsync(Containers.Published, folder + ReasonsFile, reasons, WriteCondition.Overwrite, ct);
        // The manifest last: a record with a manifest is complete.
        await store.WriteAsync(Containers.Published, folder + PublishedLayout.ManifestFile, release.ToBytes(), WriteCondition.Overwrite, ct);
    }

    /// <summary>Records every committed release that has none yet (a run stopped between commit and record).</summary>
    public async Task KeepAllAsync(CancellationToken ct = default)
    {
        foreach (var manifest in await new DatasetVersions(store).ListAsync(PublishedLayout.KpiDataset, ct))
            await KeepAsync(manifest, ct: ct);
    }

    /// <summary>The recorded releases, oldest first, each file checked against the release's manifest.</summary>
    public async Task<IReadOnlyList<Manifest>> ListAsync(CancellationToken ct = default)
    {
        var manifests = new List<Manifest>();
        await foreach (var blob in store.ListAsync(Containers.Published, Prefix, ct))
            if (blob.Name.EndsWith("/" + PublishedLayout.ManifestFile, StringComparison.Ordinal))
                manifests.Add(Manifest.Parse((await store.ReadAsync(Containers.Published, blob.Name, ct)).Bytes, blob.Name));
        return manifests.OrderBy(m => m.Version).ToList();
    }

    /// <summary>
    /// Copies the <c>kpi.parquet</c> of every recorded release into <paramref name="folder"/>, oldest first, checked against
    /// the release's manifest: the earlier releases the disclosure audit must take into account. Its
    /// <see cref="ReasonsFile"/> goes beside it where the record has one (the audit reads the counts it hid).
    /// </summary>
    public async Task<IReadOnlyList<string>> DownloadKpiFilesAsync(string folder, CancellationToken ct = default)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var release in await ListAsync(ct))
        {
            const string file = PublishedLayout.KpiFile;
            var expected = release.Outputs.Single(o => o.Name == file).Sha256;
            var bytes = (await store.ReadAsync(Containers.Published, Folder(release.Version) + file, ct)).Bytes;
            if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) != expected)
                throw new PublishingException($"The record of {release.Dataset} v{release.Version} ({Containers.Published}/{Folder(release.Version)}{file}) does not match its manifest.");
            // In a folder named for the version: the audit names an earlier release by it.
            var path = Path.Combine(folder, $"v{release.Version}", file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes, ct);
            try
            {
                var reasons = await store.ReadAsync(Containers.Published, Folder(release.Version) + ReasonsFile, ct);
                await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(path)!, ReasonsFile), reasons.Bytes, ct);
            }
            catch (BlobNotFoundException)
            {
                // A record made before the reasons were kept: the audit reads that release's hidden counts as unknown.
            }
            paths.Add(path);
        }
        return paths;
    }
}
