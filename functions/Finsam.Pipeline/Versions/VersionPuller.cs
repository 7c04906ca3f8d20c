using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Versions;

/// <summary>Copies one committed version (every file in its manifest, checked against its SHA-256, and the manifest) to a local folder.</summary>
public sealed class VersionPuller(IBlobStore store)
{
    public async Task<Manifest> PullAsync(string dataset, string version, string toFolder, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var versions = new DatasetVersions(store);
        var manifest = await versions.ResolveAsync(dataset, version, ct);
        Directory.CreateDirectory(toFolder);
        foreach (var output in manifest.Outputs)
        {
            var bytes = await versions.ReadFileAsync(manifest, output.Name, ct);
            await File.WriteAllBytesAsync(Path.Combine(toFolder, output.Name), bytes, ct);
            progress?.Report($"{output.Name} ({bytes.Length:N0} bytes)");
        }
        await File.WriteAllBytesAsync(Path.Combine(toFolder, PublishedLayout.ManifestFile),
            (await store.ReadAsync(Containers.Published, PublishedLayout.Manifest(dataset, manifest.Version), ct)).Bytes, ct);
        return manifest;
    }
}
