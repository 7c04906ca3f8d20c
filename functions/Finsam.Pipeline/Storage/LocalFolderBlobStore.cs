using System.IO.Enumeration;
using System.Runtime.CompilerServices;

namespace Finsam.Pipeline.Storage;

/// <summary>
/// The embedded default backend: one sub-folder per container under a root folder.
/// Writes go to a hidden temporary file in the same folder and are then renamed into place,
/// so readers never see half a file. Conditional writes and deletes take a lock file per
/// container, which makes them safe between processes on the same machine.
/// </summary>
public sealed class LocalFolderBlobStore : IBlobStore, ILocalFileStore
{
    private const string TempSuffix = ".tmp";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root;

    public LocalFolderBlobStore(string rootFolder)
    {
        _root = Path.GetFullPath(rootFolder);
        Directory.CreateDirectory(_root);
    }

    public string Description => $"local folder {_root}";

    public string RootFolder => _root;

    public Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct = default)
    {
        var path = PathOf(container, name);
        var file = new FileInfo(path);
        return Task.FromResult(file.Exists ? ToInfo(container, name, file) : null);
    }

    public Task<BlobContent> ReadAsync(string container, string name, CancellationToken ct = default) => ReadAsync(container, name, null, ct);

    public Task<BlobContent> ReadVersionAsync(string container, string name, string etag, CancellationToken ct = default) => ReadAsync(container, name, etag, ct);

    private async Task<BlobContent> ReadAsync(string container, string name, string? etag, CancellationToken ct)
    {
        var path = PathOf(container, name);
        try
        {
            // Open first, then stat the open handle's file: a rename that replaces the file
            // afterwards does not change what this handle reads.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var info = ToInfo(container, name, new FileInfo(path));
            if (etag is not null && info.ETag != etag) throw new BlobConditionFailedException(container, name, WriteConditionKind.IfMatch);
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, ct);
            return new BlobContent(info with { Length = bytes.Length }, bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(container, name);
        }
    }

    public async Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        var path = PathOf(container, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        await File.WriteAllBytesAsync(temp, content, ct);
        try
        {
            if (condition.Kind == WriteConditionKind.Overwrite)
            {
                File.Move(temp, path, overwrite: true);
            }
            else
            {
                using var _ = await AcquireLockAsync(container, ct);
                var existing = new FileInfo(path);
                var holds = condition.Kind switch
                {
                    WriteConditionKind.IfNotExists => !existing.Exists,
                    WriteConditionKind.IfMatch => existing.Exists && ETagOf(existing) == condition.ETag,
                    _ => throw new ArgumentOutOfRangeException(nameof(condition)),
                };
                if (!holds) throw new BlobConditionFailedException(container, name, condition.Kind);
                File.Move(temp, path, overwrite: true);
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return ToInfo(container, name, new FileInfo(path));
    }

    /// <summary>A folder has no index tags: nothing is kept (retention there is the hosts' nightly job, not a lifecycle rule).</summary>
    public Task SetTagsAsync(string container, string name, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        BlobName.Validate(container, name);
        return File.Exists(LocalPath(container, name)) ? Task.CompletedTask : Task.FromException(new BlobNotFoundException(container, name));
    }

    public async Task<BlobInfo> CopyAsync(string sourceContainer, string sourceName, string container, string name, string? sourceETag = null, CancellationToken ct = default)
    {
        var source = PathOf(sourceContainer, sourceName);
        var path = PathOf(container, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            // Copy from an open handle checked against the ETag: a rename that replaces the source afterwards does not change what is copied.
            await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                if (sourceETag is not null && ETagOf(new FileInfo(source)) != sourceETag)
                    throw new BlobConditionFailedException(sourceContainer, sourceName, WriteConditionKind.IfMatch);
                await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
                await input.CopyToAsync(output, ct);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(sourceContainer, sourceName);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return ToInfo(container, name, new FileInfo(path));
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Enumerate only below the folder the prefix names ("ledger/federation=x/" → that folder).
        var prefixFolder = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "";
        BlobName.Validate(container, prefixFolder.Length == 0 ? "x" : prefixFolder);
        var containerFolder = Path.Combine(_root, container);
        var startFolder = prefixFolder.Length == 0 ? containerFolder : Path.Combine(containerFolder, prefixFolder.Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(startFolder)) yield break;
        // Each file's name below the container and the attributes read as it is enumerated (one stat a file, no FileInfo): a
        // national curated container has about 20 000 partitions, listed by every build.
        var skip = containerFolder.Length + 1;
        var files = new FileSystemEnumerable<BlobInfo>(startFolder,
            (ref FileSystemEntry entry) => new BlobInfo(container,
                (entry.Directory.Length < skip ? entry.FileName.ToString() : string.Concat(entry.Directory[skip..], "/", entry.FileName)).Replace(Path.DirectorySeparatorChar, '/'),
                entry.Length, ETagOf(entry.LastWriteTimeUtc.UtcDateTime, entry.Length), entry.LastWriteTimeUtc),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            // Temporary files of writes in progress and lock files begin with a dot.
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && !entry.FileName.StartsWith('.'),
        };
        var names = files.Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        names.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var blob in names)
        {
            ct.ThrowIfCancellationRequested();
            yield return blob;
        }
        await Task.CompletedTask;
    }

    public async Task<bool> DeleteAsync(string container, string name, string? ifMatchETag = null, CancellationToken ct = default)
    {
        var path = PathOf(container, name);
        using var _ = await AcquireLockAsync(container, ct);
        var existing = new FileInfo(path);
        if (!existing.Exists) return false;
        if (ifMatchETag is not null && ETagOf(existing) != ifMatchETag)
            throw new BlobConditionFailedException(container, name, WriteConditionKind.IfMatch);
        existing.Delete();
        RemoveEmptyFolders(Path.GetDirectoryName(path)!, Path.Combine(_root, container));
        return true;
    }

    private static void RemoveEmptyFolders(string folder, string containerFolder)
    {
        try
        {
            for (var dir = folder; dir.Length > containerFolder.Length && !Directory.EnumerateFileSystemEntries(dir).Any(); dir = Path.GetDirectoryName(dir)!)
                Directory.Delete(dir);
        }
        catch (IOException)
        {
            // A writer created something in it meanwhile: keep it.
        }
    }

    public string LocalPath(string container, string name) => PathOf(container, name);

    private string PathOf(string container, string name)
    {
        BlobName.Validate(container, name);
        if (name.Split('/').Any(s => s.StartsWith('.')))
            throw new ArgumentException($"Blob name '{name}' has a segment starting with '.', which the local folder backend reserves.", nameof(name));
        return Path.Combine(_root, container, name.Replace('/', Path.DirectorySeparatorChar));
    }

    private static BlobInfo ToInfo(string container, string name, FileInfo file) =>
        new(container, name, file.Length, ETagOf(file), new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));

    // Every write renames a new file into place, so modification time and length identify a version.
    private static string ETagOf(FileInfo file) => ETagOf(file.LastWriteTimeUtc, file.Length);

    private static string ETagOf(DateTime lastWriteUtc, long length) => $"\"{lastWriteUtc.Ticks:x}-{length:x}\"";

    private async Task<IDisposable> AcquireLockAsync(string container, CancellationToken ct)
    {
        var lockFolder = Path.Combine(_root, container);
        Directory.CreateDirectory(lockFolder);
        var lockPath = Path.Combine(lockFolder, ".lock");
        var deadline = DateTime.UtcNow + LockTimeout;
        var delay = 5;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay, ct);
                delay = Math.Min(delay * 2, 200);
            }
        }
    }
}
