using System.Text;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Versions;

/// <summary>A version folder as a listing shows it: committed (has a manifest) or not (an attempt in progress or abandoned).</summary>
public sealed record VersionFolder(int Version, bool Committed, bool HasContentClaim, DateTimeOffset LastModified, IReadOnlyList<BlobInfo> Blobs);

/// <summary>A pointer blob with the ETag it was read at.</summary>
public sealed record PointerState(string Name, VersionPointer Pointer, string ETag);

/// <summary>Everything under published/{dataset}/ at one moment.</summary>
public sealed record DatasetState(string Dataset, IReadOnlyList<VersionFolder> Folders, IReadOnlyList<PointerState> Pointers)
{
    public IEnumerable<VersionFolder> Committed => Folders.Where(f => f.Committed);
    public int? LatestCommitted => Committed.Select(f => (int?)f.Version).Max();
    public int HighestNumber => Folders.Select(f => f.Version).DefaultIfEmpty(0).Max();
    public PointerState? Latest => Pointers.FirstOrDefault(p => p.Name == PublishedLayout.LatestPointer);
}

/// <summary>Reads published versions: the listing, manifests, pointers. Readers only ever see committed versions.</summary>
public sealed class DatasetVersions(IBlobStore store)
{
    public async Task<DatasetState> ReadStateAsync(string dataset, CancellationToken ct = default)
    {
        var blobs = new Dictionary<int, List<BlobInfo>>();
        var pointers = new List<PointerState>();
        await foreach (var blob in store.ListAsync(Containers.Published, dataset + "/", ct))
        {
            if (PublishedLayout.VersionOf(dataset, blob.Name) is { } n)
            {
                if (!blobs.TryGetValue(n, out var list)) blobs[n] = list = [];
                list.Add(blob);
            }
            else if (PublishedLayout.PointerOf(dataset, blob.Name) is { } pointerName)
            {
                var pointer = await ReadPointerAsync(dataset, pointerName, ct);
                if (pointer is not null) pointers.Add(pointer);
            }
        }
        var folders = blobs.OrderBy(b => b.Key).Select(b => new VersionFolder(b.Key,
            b.Value.Any(x => x.Name == PublishedLayout.Manifest(dataset, b.Key)),
            b.Value.Any(x => x.Name == PublishedLayout.ContentClaim(dataset, b.Key)),
            b.Value.Max(x => x.LastModified), b.Value)).ToList();
        return new DatasetState(dataset, folders, pointers);
    }

    public async Task<PointerState?> ReadPointerAsync(string dataset, string pointer, CancellationToken ct = default)
    {
        var name = PublishedLayout.Pointer(dataset, pointer);
        try
        {
            var content = await store.ReadAsync(Containers.Published, name, ct);
            return new PointerState(pointer, VersionPointer.Parse(content.Bytes, $"{Containers.Published}/{name}"), content.Info.ETag);
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether a version is committed and still kept (its manifest is there), without reading it.</summary>
    public async Task<bool> ExistsAsync(string dataset, int version, CancellationToken ct = default) =>
        await store.GetInfoAsync(Containers.Published, PublishedLayout.Manifest(dataset, version), ct) is not null;

    public async Task<Manifest?> ReadManifestAsync(string dataset, int version, CancellationToken ct = default)
    {
        var name = PublishedLayout.Manifest(dataset, version);
        try
        {
            return Manifest.Parse((await store.ReadAsync(Containers.Published, name, ct)).Bytes, $"{Containers.Published}/{name}");
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The manifest of the highest committed version, or null when none is committed.</summary>
    public async Task<Manifest?> LatestCommittedAsync(DatasetState state, CancellationToken ct = default) =>
        state.LatestCommitted is { } n ? await ReadManifestAsync(state.Dataset, n, ct) : null;

    /// <summary>The committed manifests, oldest first.</summary>
    public async Task<IReadOnlyList<Manifest>> ListAsync(string dataset, CancellationToken ct = default)
    {
        var state = await ReadStateAsync(dataset, ct);
        var manifests = new List<Manifest>();
        foreach (var folder in state.Committed)
            if (await ReadManifestAsync(dataset, folder.Version, ct) is { } m) manifests.Add(m);
        return manifests;
    }

    /// <summary>"latest", "v3" or "3" → the manifest; a clear error when there is no such committed version.</summary>
    public async Task<Manifest> ResolveAsync(string dataset, string version, CancellationToken ct = default)
    {
        var number = await ResolveNumberAsync(dataset, version, ct);
        return await ReadManifestAsync(dataset, number, ct) ?? throw Missing(dataset, number);
    }

    public static PublishingException Missing(string dataset, int version) =>
        new($"Version {version} of '{dataset}' does not exist (it was never committed, or retention removed it).");

    /// <summary>The number a version name stands for (latest: the pointer's), without reading the version's manifest.</summary>
    public async Task<int> ResolveNumberAsync(string dataset, string version, CancellationToken ct = default)
    {
        if (version.Equals(PublishedLayout.LatestPointer, StringComparison.OrdinalIgnoreCase))
        {
            var pointer = await ReadPointerAsync(dataset, PublishedLayout.LatestPointer, ct)
                ?? throw new PublishingException($"Nothing is published for '{dataset}' yet (no {Containers.Published}/{PublishedLayout.Pointer(dataset, PublishedLayout.LatestPointer)}).");
            return pointer.Pointer.Version;
        }
        if (!int.TryParse(version.TrimStart('v', 'V'), System.Globalization.NumberStyles.None, null, out var number) || number < 1)
            throw new PublishingException($"'{version}' is not a version: use latest, a number like 3, or v3.");
        return number;
    }

    /// <summary>Reads one file of a committed version and checks its SHA-256 against the manifest.</summary>
    public async Task<byte[]> ReadFileAsync(Manifest manifest, string name, CancellationToken ct = default)
    {
        var output = manifest.Outputs.FirstOrDefault(o => o.Name == name)
            ?? throw new PublishingException($"Version {manifest.Version} of '{manifest.Dataset}' has no file '{name}'. It has: {string.Join(", ", manifest.Outputs.Select(o => o.Name))}.");
        var bytes = (await store.ReadAsync(Containers.Published, PublishedLayout.File(manifest.Dataset, manifest.Version, name), ct)).Bytes;
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        if (sha != output.Sha256)
            throw new PublishingException($"{manifest.Dataset} v{manifest.Version}/{name} does not match its manifest (SHA-256 {sha}, expected {output.Sha256}).");
        return bytes;
    }

    public static string ContentClaimText(string contentSha256) => contentSha256 + "\n";

    public async Task<string?> ReadContentClaimAsync(string dataset, int version, CancellationToken ct)
    {
        try
        {
            return Encoding.ASCII.GetString((await store.ReadAsync(Containers.Published, PublishedLayout.ContentClaim(dataset, version), ct)).Bytes).Trim();
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }
}

public sealed class PublishingException(string message, Exception? inner = null) : FixableException(message, inner);
