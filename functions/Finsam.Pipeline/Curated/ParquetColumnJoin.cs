using System.Buffers.Binary;
using System.Reflection;
using Parquet;
using Parquet.Meta;

namespace Finsam.Pipeline.Curated;

/// <summary>
/// Joins Parquet files that hold different columns of the same rows (one row group each) into one
/// file with every column, in the order given. Each column chunk's bytes are copied as they are and
/// one footer is written for them all, with the chunks' offsets moved to where they now are. This
/// lets the columns of a large partition be encoded on several cores at once: Parquet.Net encodes a
/// row group's columns one after another.
/// </summary>
internal static class ParquetColumnJoin
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>Parquet.Net writes a footer with its own Thrift writer, which it does not make public.</summary>
    private static readonly System.Type? ThriftWriterType = typeof(FileMetaData).Assembly.GetType("Parquet.Meta.Proto.ThriftCompactProtocolWriter");
    private static readonly MethodInfo? WriteFooter = ThriftWriterType is null ? null
        : typeof(FileMetaData).GetMethod("Write", BindingFlags.Instance | BindingFlags.NonPublic, [ThriftWriterType]);

    /// <summary>False when this Parquet.Net version no longer has what the join needs; files are then encoded whole.</summary>
    public static bool Available => WriteFooter is not null && ThriftWriterType?.GetConstructor([typeof(Stream)]) is not null;

    public static async Task<byte[]> JoinAsync(IReadOnlyList<byte[]> files, CancellationToken ct = default)
    {
        var metadata = new List<FileMetaData>(files.Count);
        foreach (var file in files)
        {
            using var stream = new MemoryStream(file, writable: false);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct);
            var meta = reader.Metadata ?? throw new InvalidDataException("A Parquet part has no footer.");
            if (meta.RowGroups.Count != 1) throw new InvalidDataException($"A Parquet part to join has {meta.RowGroups.Count} row groups; one is expected.");
            metadata.Add(meta);
        }

        var joined = new FileMetaData
        {
            Version = metadata[0].Version,
            CreatedBy = metadata[0].CreatedBy,
            NumRows = metadata[0].NumRows,
            Schema = [metadata[0].Schema[0]],
        };
        var rowGroup = new RowGroup { NumRows = metadata[0].NumRows, FileOffset = Magic.Length };
        List<ColumnOrder>? columnOrders = metadata.All(m => m.ColumnOrders is not null) ? [] : null;
        var chunks = new List<ReadOnlyMemory<byte>>(files.Count);
        long position = Magic.Length;
        for (var i = 0; i < files.Count; i++)
        {
            var (file, meta) = (files[i], metadata[i]);
            if (meta.NumRows != joined.NumRows)
                throw new InvalidDataException($"Parquet parts to join have {joined.NumRows} and {meta.NumRows} rows.");
            var chunksEnd = file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8, 4));
            chunks.Add(file.AsMemory(Magic.Length, chunksEnd - Magic.Length));
            var shift = position - Magic.Length;
            position += chunksEnd - Magic.Length;

            joined.Schema.AddRange(meta.Schema.Skip(1));
            columnOrders?.AddRange(meta.ColumnOrders!);
            foreach (var chunk in meta.RowGroups[0].Columns)
            {
                Move(chunk, shift);
                rowGroup.Columns.Add(chunk);
            }
            rowGroup.TotalByteSize += meta.RowGroups[0].TotalByteSize;
            rowGroup.TotalCompressedSize = (rowGroup.TotalCompressedSize ?? 0) + (meta.RowGroups[0].TotalCompressedSize ?? 0);
        }
        joined.Schema[0].NumChildren = joined.Schema.Count - 1;
        joined.RowGroups = [rowGroup];
        joined.ColumnOrders = columnOrders;

        using var footer = new MemoryStream();
        WriteFooter!.Invoke(joined, [Activator.CreateInstance(ThriftWriterType!, footer)]);

        // magic, every column's chunks, the footer, its length, magic
        var output = new byte[checked((int)(position + footer.Length + 4 + Magic.Length))];
        Magic.CopyTo(output, 0);
        var at = Magic.Length;
        foreach (var chunk in chunks)
        {
            chunk.Span.CopyTo(output.AsSpan(at));
            at += chunk.Length;
        }
        footer.GetBuffer().AsSpan(0, (int)footer.Length).CopyTo(output.AsSpan(at));
        at += (int)footer.Length;
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(at), (int)footer.Length);
        Magic.CopyTo(output, at + 4);
        return output;
    }

    private static void Move(ColumnChunk chunk, long shift)
    {
        chunk.FileOffset += shift;
        var meta = chunk.MetaData ?? throw new InvalidDataException("A Parquet column chunk has no metadata.");
        meta.DataPageOffset += shift;
        if (meta.DictionaryPageOffset is { } dictionary) meta.DictionaryPageOffset = dictionary + shift;
        if (meta.IndexPageOffset is { } index) meta.IndexPageOffset = index + shift;
        if (meta.BloomFilterOffset is not null || chunk.ColumnIndexOffset is not null || chunk.OffsetIndexOffset is not null)
            throw new InvalidDataException("A Parquet part to join has page indexes or a bloom filter; they are not moved.");
    }
}
