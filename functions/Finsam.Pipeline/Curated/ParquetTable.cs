using System.Buffers;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace Finsam.Pipeline.Curated;

/// <summary>
/// Writes rows of any shape as one Parquet row group, column by column, with Parquet.Net's
/// column writer: faster than reflection-based serialisation for the large curated data sets.
/// A large table's columns are encoded on all cores at once and joined (<see cref="ParquetColumnJoin"/>).
/// Column order, names and types are exactly as declared; the output has no timestamps, so the
/// same rows give the same bytes.
/// </summary>
public sealed class ParquetTable<T>
{
    /// <summary>A column: how to make its field, whether its values get a dictionary, and how to write them.</summary>
    private sealed record Column(Func<DataField> NewField, bool Dictionary, Func<IReadOnlyList<T>, ParquetRowGroupWriter, DataField, Task> Write);

    private readonly List<Column> _columns = [];
    private readonly List<(string Name, string DuckDbType)> _duckDbColumns = [];

    /// <summary>The columns as DuckDB reads them, for an empty typed view when no file exists yet.</summary>
    public IReadOnlyList<(string Name, string DuckDbType)> DuckDbColumns => _duckDbColumns;

    /// <summary>
    /// A string column. Its values are written with a dictionary (each distinct value encoded once)
    /// unless its first values are mostly distinct; Parquet.Net writes strings plain unless told.
    /// </summary>
    public ParquetTable<T> String(string name, Func<T, string?> value) =>
        Add(() => new DataField<string>(name), "VARCHAR", (rows, rg, f) => WriteProjectedAsync<ReadOnlyMemory<char>?>(rows,
            (list, values) =>
            {
                for (var i = 0; i < list.Count; i++) values[i] = value(list[i])?.AsMemory();
            }, values => rg.WriteAsync(f, values)), dictionary: true);

    public ParquetTable<T> Date(string name, Func<T, DateOnly> value) =>
        Add(() => new DataField<DateOnly>(name), "DATE", (rows, rg, f) => WriteProjectedAsync(rows, value, values => rg.WriteAsync(f, values)));

    public ParquetTable<T> NullableDate(string name, Func<T, DateOnly?> value) =>
        Add(() => new DataField<DateOnly?>(name), "DATE", (rows, rg, f) => WriteProjectedAsync(rows, value, values => rg.WriteAsync(f, values)));

    /// <summary>Money: decimal(18,2), exact.</summary>
    public ParquetTable<T> Money(string name, Func<T, decimal> value) =>
        Add(() => new DecimalDataField(name, 18, 2), "DECIMAL(18,2)", (rows, rg, f) => WriteProjectedAsync(rows, value, values => rg.WriteAsync(f, values)));

    public ParquetTable<T> Int(string name, Func<T, int> value) =>
        Add(() => new DataField<int>(name), "INTEGER", (rows, rg, f) => WriteProjectedAsync(rows, value, values => rg.WriteAsync(f, values)));

    public ParquetTable<T> NullableInt(string name, Func<T, int?> value) =>
        Add(() => new DataField<int?>(name), "INTEGER", (rows, rg, f) => WriteProjectedAsync(rows, value, values => rg.WriteAsync(f, values)));

    public ParquetTable<T> Bool(string name, Func<T, bool> value) =>
        Add(() => new DataField<bool>(name), "BOOLEAN", (rows, rg, f) => WriteProjectedAsync(rows, value, values => rg.WriteAsync(f, values)));

    /// <summary>From this many rows, the columns are encoded on all cores at once and joined.</summary>
    public const int ParallelFromRows = 20_000;

    /// <summary>Rows of a row group of a large table: DuckDB's own row group size.</summary>
    public const int RowGroupRows = 122_880;

    /// <summary>
    /// A table of more rows is written in row groups of <see cref="RowGroupRows"/>, one column after another. Parquet.Net
    /// encodes a column chunk whole in memory, several times its size, so one row group of a 100 MB file's rows cost more
    /// than the file (docs/benchmarks.md, peak memory); in row groups the encoding costs the same whatever the file's size.
    /// </summary>
    public const int RowGroupsFromRows = 2 * RowGroupRows;

    public async Task<byte[]> ToBytesAsync(IReadOnlyList<T> rows, CancellationToken ct = default)
    {
        if (rows.Count > RowGroupsFromRows)
            return await EncodeAsync(rows, Enumerable.Range(0, _columns.Count), ct, RowGroupRows);
        if (rows.Count < ParallelFromRows || Environment.ProcessorCount < 2 || !ParquetColumnJoin.Available)
            return await EncodeAsync(rows, Enumerable.Range(0, _columns.Count), ct);
        var parts = new byte[_columns.Count][];
        // The string columns, which take longest (their dictionaries), first: a short column then ends the encoding on each core
        // rather than a long one keeping one core busy while the other has nothing left. Their order in the file is as declared.
        await Parallel.ForEachAsync(Enumerable.Range(0, _columns.Count).OrderByDescending(c => _columns[c].Dictionary),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (column, token) => parts[column] = await EncodeAsync(rows, [column], token));
        return await ParquetColumnJoin.JoinAsync(parts, ct);
    }

    /// <summary>The given columns of the rows as one Parquet file, in row groups of at most <paramref name="rowGroupRows"/> rows.</summary>
    private async Task<byte[]> EncodeAsync(IReadOnlyList<T> rows, IEnumerable<int> columns, CancellationToken ct, int rowGroupRows = int.MaxValue)
    {
        var chosen = columns.Select(i => _columns[i]).ToList();
        using var buffer = new BlockWriteStream();
        // Fields of this write's own: Parquet.Net sets a field's levels when a schema is made from it,
        // so fields shared by writes running at once could get a wrong definition level (a corrupt file).
        var fields = chosen.Select(c => c.NewField()).ToArray();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), buffer, Options(chosen, fields), cancellationToken: ct))
        {
            var start = 0;
            do
            {
                var group = rows.Count <= rowGroupRows ? rows : new Slice(rows, start, Math.Min(rowGroupRows, rows.Count - start));
                using var rowGroup = writer.CreateRowGroup();
                for (var i = 0; i < fields.Length; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    await chosen[i].Write(group, rowGroup, fields[i]);
                }
                start += group.Count;
            }
            while (start < rows.Count);
        }
        return buffer.ToArray();
    }

    /// <summary>Rows [start, start + count) of a list, without copying them.</summary>
    private sealed class Slice(IReadOnlyList<T> rows, int start, int count) : IReadOnlyList<T>
    {
        public T this[int index] => rows[start + index];
        public int Count => count;
        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < count; i++) yield return rows[start + i];
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A dictionary for the columns that ask for one, given up for a column whose first values are mostly distinct.</summary>
    private static ParquetOptions Options(IReadOnlyList<Column> columns, IReadOnlyList<DataField> fields)
    {
        var options = new ParquetOptions { DictionaryEncodingSampleSize = 1000 };
        for (var i = 0; i < columns.Count; i++)
            if (columns[i].Dictionary) options.ColumnEncodingHints[fields[i].Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }

    private ParquetTable<T> Add(Func<DataField> newField, string duckDbType, Func<IReadOnlyList<T>, ParquetRowGroupWriter, DataField, Task> write, bool dictionary = false)
    {
        _columns.Add(new Column(newField, dictionary, write));
        _duckDbColumns.Add((newField().Name, duckDbType));
        return this;
    }

    private static Task WriteProjectedAsync<TValue>(IReadOnlyList<T> rows, Func<T, TValue> value, Func<ReadOnlyMemory<TValue>, Task> write) =>
        WriteProjectedAsync<TValue>(rows, (list, values) =>
        {
            for (var i = 0; i < list.Count; i++) values[i] = value(list[i]);
        }, write);

    /// <summary>
    /// Writes one column's values, projected into a pooled array: a new array per column of a large
    /// table would be a large-object allocation, and those make the collector look at the whole heap.
    /// <paramref name="project"/> fills the array from the rows in one loop of its own (for a string column,
    /// the value and its conversion in one call per row rather than two).
    /// </summary>
    private static async Task WriteProjectedAsync<TValue>(IReadOnlyList<T> rows, Action<IReadOnlyList<T>, TValue[]> project, Func<ReadOnlyMemory<TValue>, Task> write)
    {
        var values = ArrayPool<TValue>.Shared.Rent(rows.Count);
        try
        {
            project(rows, values);
            await write(values.AsMemory(0, rows.Count));
        }
        finally
        {
            ArrayPool<TValue>.Shared.Return(values, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<TValue>());
        }
    }
}
