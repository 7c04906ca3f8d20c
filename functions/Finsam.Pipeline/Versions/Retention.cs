using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Versions;

/// <summary>
/// Which old versions may be removed: a version is kept when it is among the last <see cref="KeepLast"/>
/// or younger than <see cref="KeepFor"/> (either rule keeps it), and always when it is the latest or a
/// pointer names it. Null for both means keep everything (the default).
/// </summary>
public sealed record RetentionPolicy(int? KeepLast = null, TimeSpan? KeepFor = null)
{
    public static RetentionPolicy KeepEverything { get; } = new();
    public bool RemovesAnything => KeepLast is not null || KeepFor is not null;

    /// <summary>Unfinished attempts below the latest commit can never be committed; they are removed after this long.</summary>
    public static TimeSpan AbandonedAttemptGrace { get; } = TimeSpan.FromHours(1);
}

public sealed record RetentionResult(IReadOnlyList<int> RemovedVersions, IReadOnlyList<int> RemovedAttempts);

/// <summary>Applies a <see cref="RetentionPolicy"/> to one dataset. The manifest goes first, so a version being removed stops being visible before its files go.</summary>
public sealed class Retention(IBlobStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<RetentionResult> ApplyAsync(string dataset, RetentionPolicy policy, CancellationToken ct = default)
    {
        var state = await new DatasetVersions(store).ReadStateAsync(dataset, ct);
        var now = _clock.GetUtcNow();
        var committed = state.Committed.OrderByDescending(f => f.Version).ToList();
        var keep = new HashSet<int>(state.Pointers.Select(p => p.Pointer.Version));
        if (committed.Count > 0) keep.Add(committed[0].Version);

        var removed = new List<int>();
        if (policy.RemovesAnything)
        {
            for (var i = 0; i < committed.Count; i++)
            {
                var folder = committed[i];
                var byCount = policy.KeepLast is { } n && i < n;
                var byAge = policy.KeepFor is { } age && now - folder.LastModified < age;
                if (keep.Contains(folder.Version) || byCount || byAge) continue;
                await RemoveAsync(dataset, folder, ct);
                removed.Add(folder.Version);
            }
        }

        var attempts = new List<int>();
        var latest = state.LatestCommitted ?? 0;
        foreach (var folder in state.Folders.Where(f => !f.Committed && f.Version < latest && now - f.LastModified > RetentionPolicy.AbandonedAttemptGrace))
        {
            await RemoveAsync(dataset, folder, ct);
            attempts.Add(folder.Version);
        }
        return new RetentionResult(removed.Order().ToList(), attempts);
    }

    /// <summary>Removes one version of a dataset as retention does (the manifest first); the names of the blobs deleted.</summary>
    public async Task<IReadOnlyList<string>> RemoveVersionAsync(string dataset, int version, CancellationToken ct = default)
    {
        var blobs = new List<BlobInfo>();
        await foreach (var blob in store.ListAsync(Containers.Published, PublishedLayout.VersionFolder(dataset, version), ct)) blobs.Add(blob);
        return await RemoveAsync(dataset, version, blobs, ct);
    }

    private Task<IReadOnlyList<string>> RemoveAsync(string dataset, VersionFolder folder, CancellationToken ct) =>
        RemoveAsync(dataset, folder.Version, folder.Blobs, ct);

    private async Task<IReadOnlyList<string>> RemoveAsync(string dataset, int version, IReadOnlyList<BlobInfo> blobs, CancellationToken ct)
    {
        var deleted = new List<string>();
        var manifest = PublishedLayout.Manifest(dataset, version);
        if (blobs.Any(b => b.Name == manifest) && await store.DeleteAsync(Containers.Published, manifest, ct: ct)) deleted.Add(manifest);
        foreach (var blob in blobs.Where(b => b.Name != manifest))
            if (await store.DeleteAsync(Containers.Published, blob.Name, ct: ct)) deleted.Add(blob.Name);
        return deleted;
    }
}
