namespace Finsam.Pipeline.Storage;

/// <summary>
/// Containers of named blobs. Every write is atomic (a reader sees the old bytes or the new ones,
/// never a part), and writes and deletes can be made conditional for optimistic concurrency.
/// Names use '/' as the separator, like blob names.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the data lives, for messages ("local folder /x", "Azure account y").</summary>
    string Description { get; }

    Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct = default);

    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    Task<BlobContent> ReadAsync(string container, string name, CancellationToken ct = default);

    /// <summary>Reads the blob only if it is still the version <paramref name="etag"/> names (If-Match).</summary>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    /// <exception cref="BlobConditionFailedException">The blob has changed since <paramref name="etag"/>; nothing was read.</exception>
    Task<BlobContent> ReadVersionAsync(string container, string name, string etag, CancellationToken ct = default);

    /// <exception cref="BlobConditionFailedException">The condition did not hold; nothing was written.</exception>
    Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default);

    /// <summary>Blobs whose name starts with <paramref name="prefix"/>, in ordinal name order.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken ct = default);

    /// <summary>
    /// Copies a blob inside this store without reading it into the process (a server-side copy in Azure), overwriting the
    /// target. With <paramref name="sourceETag"/> only if the source is still that version.
    /// </summary>
    /// <exception cref="BlobNotFoundException">The source does not exist.</exception>
    /// <exception cref="BlobConditionFailedException">The source has changed since <paramref name="sourceETag"/>.</exception>
    Task<BlobInfo> CopyAsync(string sourceContainer, string sourceName, string container, string name, string? sourceETag = null, CancellationToken ct = default);

    /// <summary>Deletes the blob. With <paramref name="ifMatchETag"/> only if it is still that version.</summary>
    /// <returns>False when the blob did not exist.</returns>
    /// <exception cref="BlobConditionFailedException">The blob has changed since <paramref name="ifMatchETag"/>.</exception>
    Task<bool> DeleteAsync(string container, string name, string? ifMatchETag = null, CancellationToken ct = default);

    /// <summary>
    /// Sets the blob's index tags (replacing any it had), which lifecycle rules of the storage account can select on. A store
    /// without tags (a local folder) keeps none.
    /// </summary>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    Task SetTagsAsync(string container, string name, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default);
}

public sealed record BlobInfo(string Container, string Name, long Length, string ETag, DateTimeOffset LastModified);

public sealed record BlobContent(BlobInfo Info, byte[] Bytes);

/// <summary>When a write may happen: always, only when no blob exists, or only over a known version.</summary>
public readonly record struct WriteCondition(WriteConditionKind Kind, string? ETag = null)
{
    public static WriteCondition Overwrite => new(WriteConditionKind.Overwrite);
    public static WriteCondition IfNotExists => new(WriteConditionKind.IfNotExists);
    public static WriteCondition IfMatch(string etag) => new(WriteConditionKind.IfMatch, etag);
}

public enum WriteConditionKind { Overwrite, IfNotExists, IfMatch }

public sealed class BlobNotFoundException(string container, string name)
    : Exception($"Blob '{container}/{name}' does not exist.")
{
    public string Container { get; } = container;
    public string BlobName { get; } = name;
}

public sealed class BlobConditionFailedException(string container, string name, WriteConditionKind kind)
    : Exception($"Blob '{container}/{name}' was not changed: the condition {kind} did not hold (someone else changed it first).")
{
    public string Container { get; } = container;
    public string BlobName { get; } = name;
}
