using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>Passes every call to another store; tests override the calls they want to disturb.</summary>
public abstract class DelegatingBlobStore(IBlobStore inner) : IBlobStore
{
    protected IBlobStore Inner => inner;
    public string Description => inner.Description;
    public virtual Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct = default) => inner.GetInfoAsync(container, name, ct);
    public virtual Task<BlobContent> ReadAsync(string container, string name, CancellationToken ct = default) => inner.ReadAsync(container, name, ct);
    public virtual Task<BlobContent> ReadVersionAsync(string container, string name, string etag, CancellationToken ct = default) => inner.ReadVersionAsync(container, name, etag, ct);
    public virtual Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default) =>
        inner.WriteAsync(container, name, content, condition, ct);
    public virtual IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken ct = default) => inner.ListAsync(container, prefix, ct);
    public virtual Task<BlobInfo> CopyAsync(string sourceContainer, string sourceName, string container, string name, string? sourceETag = null, CancellationToken ct = default) =>
        inner.CopyAsync(sourceContainer, sourceName, container, name, sourceETag, ct);
    public virtual Task<bool> DeleteAsync(string container, string name, string? ifMatchETag = null, CancellationToken ct = default) =>
        inner.DeleteAsync(container, name, ifMatchETag, ct);

    public virtual Task SetTagsAsync(string container, string name, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default) =>
        inner.SetTagsAsync(container, name, tags, ct);
}
