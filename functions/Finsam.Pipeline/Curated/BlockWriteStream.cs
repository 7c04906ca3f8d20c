using System.Buffers;

namespace Finsam.Pipeline.Curated;

/// <summary>
/// A write-only stream that keeps what is written in blocks of 1 MB from the shared pool, and gives it back as one array of
/// its exact size. A MemoryStream grows by doubling, so a 66 MB Parquet file passed through a 128 MB buffer beside the 64 MB
/// one before it, and its ToArray made a third copy; here the peak is the blocks and the one array.
/// </summary>
internal sealed class BlockWriteStream : Stream
{
    private const int BlockSize = 1 << 20;
    private readonly List<byte[]> _blocks = [];
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    /// <summary>Where the next byte goes; Parquet.Net reads it for the offsets in the footer.</summary>
    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var offset = (int)(_length % BlockSize);
            if (offset == 0 && _length / BlockSize == _blocks.Count) _blocks.Add(ArrayPool<byte>.Shared.Rent(BlockSize));
            var n = Math.Min(buffer.Length, BlockSize - offset);
            buffer[..n].CopyTo(_blocks[(int)(_length / BlockSize)].AsSpan(offset));
            buffer = buffer[n..];
            _length += n;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Everything written, as one array of its exact size.</summary>
    public byte[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<byte>(checked((int)_length));
        for (var i = 0; i < _blocks.Count; i++)
        {
            var n = (int)Math.Min(BlockSize, _length - (long)i * BlockSize);
            _blocks[i].AsSpan(0, n).CopyTo(result.AsSpan(i * BlockSize));
        }
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var block in _blocks) ArrayPool<byte>.Shared.Return(block);
        _blocks.Clear();
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
