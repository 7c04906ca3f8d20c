using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Finsam.Pipeline.Storage;

/// <summary>
/// Azure Blob Storage backend. A block blob upload is committed as a whole, so readers never see
/// half a blob; conditions map to If-None-Match: * and If-Match: ETag.
/// </summary>
public sealed class AzureBlobStore : IBlobStore
{
    private readonly BlobServiceClient _service;
    private readonly string _containerPrefix;
    private readonly ConcurrentDictionary<string, Task> _createdContainers = new();

    /// <param name="containerPrefix">Put before every container name, e.g. "test-" or "staging-"; empty in production.</param>
    public AzureBlobStore(BlobServiceClient service, string containerPrefix = "")
    {
        _service = service;
        _containerPrefix = containerPrefix;
    }

    /// <summary>From a connection string (incl. "UseDevelopmentStorage=true" for Azurite).</summary>
    public static AzureBlobStore FromConnectionString(string connectionString) => new(new BlobServiceClient(connectionString));

    /// <summary>From an account URL, authenticated with DefaultAzureCredential (managed identity, Azure CLI …).</summary>
    public static AzureBlobStore FromAccountUrl(Uri accountUrl) => new(new BlobServiceClient(accountUrl, new DefaultAzureCredential()));

    public string Description => $"Azure storage account {_service.AccountName} ({_service.Uri.GetLeftPart(UriPartial.Authority)})";

    public async Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct = default)
    {
        BlobName.Validate(container, name);
        try
        {
            var props = await Container(container).GetBlobClient(name).GetPropertiesAsync(cancellationToken: ct);
            return new BlobInfo(container, name, props.Value.ContentLength, props.Value.ETag.ToString(), props.Value.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<BlobContent> ReadAsync(string container, string name, CancellationToken ct = default) => ReadAsync(container, name, null, ct);

    public Task<BlobContent> ReadVersionAsync(string container, string name, string etag, CancellationToken ct = default) => ReadAsync(container, name, etag, ct);

    private async Task<BlobContent> ReadAsync(string container, string name, string? etag, CancellationToken ct)
    {
        BlobName.Validate(container, name);
        try
        {
            var options = new BlobDownloadOptions { Conditions = etag is null ? null : new BlobRequestConditions { IfMatch = new ETag(etag) } };
            var result = await Container(container).GetBlobClient(name).DownloadContentAsync(options, ct);
            var details = result.Value.Details;
            var bytes = result.Value.Content.ToArray();
            return new BlobContent(new BlobInfo(container, name, bytes.Length, details.ETag.ToString(), details.LastModified), bytes);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(container, name);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new BlobConditionFailedException(container, name, WriteConditionKind.IfMatch);
        }
    }

    public async Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        BlobName.Validate(container, name);
        await EnsureContainerAsync(container, ct);
        var conditions = condition.Kind switch
        {
            WriteConditionKind.Overwrite => null,
            WriteConditionKind.IfNotExists => new BlobRequestConditions { IfNoneMatch = ETag.All },
            WriteConditionKind.IfMatch => new BlobRequestConditions { IfMatch = new ETag(condition.ETag!) },
            _ => throw new ArgumentOutOfRangeException(nameof(condition)),
        };
        try
        {
            var result = await Container(container).GetBlobClient(name)
                .UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = conditions }, ct);
            return new BlobInfo(container, name, content.Length, result.Value.ETag.ToString(), result.Value.LastModified);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new BlobConditionFailedException(container, name, condition.Kind);
        }
    }

    public async Task<BlobInfo> CopyAsync(string sourceContainer, string sourceName, string container, string name, string? sourceETag = null, CancellationToken ct = default)
    {
        BlobName.Validate(sourceContainer, sourceName);
        BlobName.Validate(container, name);
        await EnsureContainerAsync(container, ct);
        var source = Container(sourceContainer).GetBlobClient(sourceName);
        var target = Container(container).GetBlobClient(name);
        var options = new BlobCopyFromUriOptions
        {
            SourceConditions = sourceETag is null ? null : new BlobRequestConditions { IfMatch = new ETag(sourceETag) },
        };
        try
        {
            // Copy Blob within one account: the service copies, and the request's own authorization covers the source.
            await target.StartCopyFromUriAsync(source.Uri, options, ct);
            // Waits on the target, not on the operation: two writers may copy the same file to one name at once (two publishers
            // recording one release), and the SDK's operation throws "has not completed yet" when another copy took its place.
            while (true)
            {
                var props = (await target.GetPropertiesAsync(cancellationToken: ct)).Value;
                if (string.IsNullOrEmpty(props.CopyId) || props.CopyStatus == CopyStatus.Success)
                    return new BlobInfo(container, name, props.ContentLength, props.ETag.ToString(), props.LastModified);
                if (props.CopyStatus is CopyStatus.Failed or CopyStatus.Aborted)
                    throw new IOException($"Copying {sourceContainer}/{sourceName} to {container}/{name} ended {props.CopyStatus}: {props.CopyStatusDescription}");
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(sourceContainer, sourceName);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new BlobConditionFailedException(sourceContainer, sourceName, WriteConditionKind.IfMatch);
        }
    }

    public async Task SetTagsAsync(string container, string name, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        BlobName.Validate(container, name);
        try
        {
            await Container(container).GetBlobClient(name).SetTagsAsync(tags.ToDictionary(), cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(container, name);
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken ct = default)
    {
        BlobName.Validate(container, "x");
        var client = Container(container);
        if (!await client.ExistsAsync(ct)) yield break;
        await foreach (var item in client.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, ct))
        {
            var props = item.Properties;
            yield return new BlobInfo(container, item.Name, props.ContentLength ?? 0, props.ETag?.ToString() ?? "", props.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async Task<bool> DeleteAsync(string container, string name, string? ifMatchETag = null, CancellationToken ct = default)
    {
        BlobName.Validate(container, name);
        var conditions = ifMatchETag is null ? null : new BlobRequestConditions { IfMatch = new ETag(ifMatchETag) };
        try
        {
            var result = await Container(container).GetBlobClient(name)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions, ct);
            return result.Value;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new BlobConditionFailedException(container, name, WriteConditionKind.IfMatch);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private async Task EnsureContainerAsync(string container, CancellationToken ct)
    {
        var creation = _createdContainers.GetOrAdd(container, c => Container(c).CreateIfNotExistsAsync(cancellationToken: ct));
        try
        {
            await creation;
        }
        catch
        {
            _createdContainers.TryRemove(container, out _); // let the next write try again
            throw;
        }
    }

    private BlobContainerClient Container(string container) => _service.GetBlobContainerClient(_containerPrefix + container);
}
