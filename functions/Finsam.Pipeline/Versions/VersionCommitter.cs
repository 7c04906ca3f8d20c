using System.Text;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Versions;

/// <summary>What a publish of one dataset did.</summary>
public sealed record CommitResult(string Dataset, int Version, bool Created, Manifest Manifest)
{
    public string Describe() => Created
        ? $"{Dataset}: published v{Version} ({Manifest.ChangeSummary()})"
        : $"{Dataset}: unchanged, latest is v{Version}";
}

/// <summary>A dataset ready to publish: content files, the version-dependent files made once N is known, and the manifest parts.</summary>
public sealed record DatasetRelease(
    string Dataset,
    IReadOnlyList<PublicationFile> ContentFiles,
    Func<int, IReadOnlyList<PublicationFile>> VersionFiles,
    IReadOnlyList<ManifestInput> Inputs,
    IReadOnlyList<ManifestSource> Models,
    IReadOnlyList<ManifestSource> References,
    QualitySummary Quality,
    string PipelineVersion)
{
    /// <summary>Member releases: the small-count audit's verdict, recorded in the manifest.</summary>
    public ManifestDisclosureAudit? DisclosureAudit { get; init; }

    /// <summary>SHA-256 over everything that decides the content; equal fingerprints mean nothing changed.</summary>
    public string ContentSha256 { get; } = Fingerprint(ContentFiles, Inputs, Models, References);

    private static string Fingerprint(IReadOnlyList<PublicationFile> files, IReadOnlyList<ManifestInput> inputs,
        IReadOnlyList<ManifestSource> models, IReadOnlyList<ManifestSource> references)
    {
        // The pipeline version is recorded but not part of the fingerprint: new code that gives the same outputs is no new version.
        var text = new StringBuilder();
        foreach (var f in files.OrderBy(f => f.Name, StringComparer.Ordinal)) text.Append("output ").Append(f.Name).Append(' ').Append(f.Sha256).Append('\n');
        foreach (var i in inputs.OrderBy(i => $"{i.Federation}/{i.Period}/{i.Kind}/{i.Sha256}", StringComparer.Ordinal))
            text.Append("input ").Append($"{i.Federation}/{i.Period}/{i.Kind}").Append(' ').Append(i.Sha256).Append('\n');
        foreach (var m in models.OrderBy(m => m.Path, StringComparer.Ordinal)) text.Append("model ").Append(m.Path).Append(' ').Append(m.Sha256).Append('\n');
        foreach (var r in references.OrderBy(r => r.Path, StringComparer.Ordinal)) text.Append("reference ").Append(r.Path).Append(' ').Append(r.Sha256).Append('\n');
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// Commits versions on plain blob storage with optimistic concurrency, never showing a half-written version:
/// <list type="number">
/// <item>If the latest committed version has the same content fingerprint, nothing is published.</item>
/// <item>Version N (one above every folder seen, or an unfinished attempt at the same content) is claimed by
/// creating v{N}/_content.sha256 create-only; a claim for other content means N is taken: re-read, try N+1.</item>
/// <item>Every file is written create-only into v{N}/; an existing file must have the same bytes (a rerun of a
/// failed attempt, or a concurrent publisher of the same content), otherwise the attempt starts over.</item>
/// <item>manifest.json is created create-only: this commits N. A loser re-reads and finds the same content
/// committed (nothing to do) or tries again above it.</item>
/// <item>latest.json is moved forward with If-Match (create-only the first time); it never moves back.</item>
/// </list>
/// </summary>
public sealed class VersionCommitter(IBlobStore store, TimeProvider? clock = null)
{
    private readonly DatasetVersions _versions = new(store);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    public int MaxAttempts { get; init; } = 50;

    public async Task<CommitResult> CommitAsync(DatasetRelease release, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var dataset = release.Dataset;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var state = await _versions.ReadStateAsync(dataset, ct);
            var latest = await _versions.LatestCommittedAsync(state, ct);
            if (latest is not null && latest.ContentSha256 == release.ContentSha256)
            {
                await AdvancePointerAsync(dataset, latest.Version, ct);
                return new CommitResult(dataset, latest.Version, false, latest);
            }

            var version = await ChooseVersionAsync(state, release.ContentSha256, state.LatestCommitted ?? 0, ct);
            if (!await ClaimAsync(dataset, version, release.ContentSha256, ct))
            {
                await BackOffAsync(attempt, ct);
                continue;
            }
            progress?.Report($"{dataset}: writing v{version}");
            var files = release.ContentFiles.Concat(release.VersionFiles(version)).ToList();
            if (!await WriteFilesAsync(dataset, version, files, ct))
            {
                await BackOffAsync(attempt, ct);
                continue;
            }
            var manifest = new Manifest
            {
                Dataset = dataset,
                Version = version,
                Created = _clock.GetUtcNow(),
                PreviousVersion = latest?.Version,
                ContentSha256 = release.ContentSha256,
                PipelineVersion = release.PipelineVersion,
                Inputs = release.Inputs,
                Models = release.Models,
                References = release.References,
                Outputs = files.Select(f => new ManifestOutput(f.Name, f.Bytes.LongLength, f.Sha256, f.Rows, f.Schema)).ToList(),
                Quality = release.Quality,
                Changes = ManifestChanges.Between(latest, release.Inputs, release.Models, release.References, files),
                DisclosureAudit = release.DisclosureAudit,
            };
            try
            {
                await store.WriteAsync(Containers.Published, PublishedLayout.Manifest(dataset, version), manifest.ToBytes(), WriteCondition.IfNotExists, ct);
            }
            catch (BlobConditionFailedException)
            {
                await BackOffAsync(attempt, ct);
                continue;
            }
            await AdvancePointerAsync(dataset, version, ct);
            return new CommitResult(dataset, version, true, manifest);
        }
        throw new PublishingException($"Could not publish '{dataset}' after {MaxAttempts} attempts: other publishers kept changing it. Run the publish again.");
    }

    /// <summary>An unfinished attempt at the same content above the latest commit is resumed; otherwise one above every folder.</summary>
    private async Task<int> ChooseVersionAsync(DatasetState state, string contentSha256, int latestCommitted, CancellationToken ct)
    {
        foreach (var folder in state.Folders.Where(f => !f.Committed && f.HasContentClaim && f.Version > latestCommitted))
            if (await _versions.ReadContentClaimAsync(state.Dataset, folder.Version, ct) == contentSha256) return folder.Version;
        return state.HighestNumber + 1;
    }

    private async Task<bool> ClaimAsync(string dataset, int version, string contentSha256, CancellationToken ct)
    {
        try
        {
            await store.WriteAsync(Containers.Published, PublishedLayout.ContentClaim(dataset, version),
                Encoding.ASCII.GetBytes(DatasetVersions.ContentClaimText(contentSha256)), WriteCondition.IfNotExists, ct);
            return true;
        }
        catch (BlobConditionFailedException)
        {
            return await _versions.ReadContentClaimAsync(dataset, version, ct) == contentSha256
                && await _versions.ReadManifestAsync(dataset, version, ct) is null;
        }
    }

    private async Task<bool> WriteFilesAsync(string dataset, int version, IReadOnlyList<PublicationFile> files, CancellationToken ct)
    {
        foreach (var file in files)
        {
            var name = PublishedLayout.File(dataset, version, file.Name);
            try
            {
                await store.WriteAsync(Containers.Published, name, file.Bytes, WriteCondition.IfNotExists, ct);
            }
            catch (BlobConditionFailedException)
            {
                var existing = await store.ReadAsync(Containers.Published, name, ct);
                if (!existing.Bytes.AsSpan().SequenceEqual(file.Bytes)) return false;
            }
        }
        return true;
    }

    /// <summary>Moves latest.json to <paramref name="version"/> unless it already names that or a later version.</summary>
    public async Task AdvancePointerAsync(string dataset, int version, CancellationToken ct = default)
    {
        var name = PublishedLayout.Pointer(dataset, PublishedLayout.LatestPointer);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await _versions.ReadPointerAsync(dataset, PublishedLayout.LatestPointer, ct);
            if (current is not null && current.Pointer.Version >= version) return;
            var pointer = new VersionPointer(dataset, version, PublishedLayout.Manifest(dataset, version), _clock.GetUtcNow());
            try
            {
                await store.WriteAsync(Containers.Published, name, pointer.ToBytes(),
                    current is null ? WriteCondition.IfNotExists : WriteCondition.IfMatch(current.ETag), ct);
                return;
            }
            catch (BlobConditionFailedException)
            {
                await BackOffAsync(attempt, ct);
            }
        }
        throw new PublishingException($"Could not move {Containers.Published}/{name} to v{version}: it kept changing. Run the publish again.");
    }

    private static Task BackOffAsync(int attempt, CancellationToken ct) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + 10 * Math.Min(attempt, 20))), ct);
}
