using System.Runtime.CompilerServices;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// Holds the first read, listing or write that matches until the test lets it go: a slow storage call at a chosen
/// moment, so that a test can ask a host to stop while it is in the middle of a file or a build.
/// </summary>
public sealed class PausingStore(IBlobStore inner, Func<string, string, string, bool> pausesAt) : DelegatingBlobStore(inner)
{
    public const string Read = "read";
    public const string List = "list";
    public const string Write = "write";

    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Completes when a call is being held.</summary>
    public Task Paused => _paused.Task;

    public void Release() => _released.TrySetResult();

    public override async Task<BlobContent> ReadAsync(string container, string name, CancellationToken ct = default)
    {
        await PauseAsync(Read, container, name);
        return await base.ReadAsync(container, name, ct);
    }

    public override async Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        await PauseAsync(Write, container, name);
        return await base.WriteAsync(container, name, content, condition, ct);
    }

    public override async IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken ct = default)
    {
        await PauseAsync(List, container, prefix);
        await foreach (var blob in base.ListAsync(container, prefix, ct)) yield return blob;
    }

    private async Task PauseAsync(string operation, string container, string name)
    {
        if (!pausesAt(operation, container, name) || Interlocked.Exchange(ref _held, 1) == 1) return;
        _paused.TrySetResult();
        await _released.Task;
    }
}
