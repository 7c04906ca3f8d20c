using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Curated;

public sealed class ParquetTableTests
{
    private sealed record Row(string? Text, int Line, decimal Amount, DateOnly? Ended);

    private static readonly Row[] Rows =
    [
        new("Hyra kontor", 12, 18000.00m, new DateOnly(2025, 1, 31)),
        new(null, 13, -18000.00m, null),
        new("Kommun 9904", 14, 0.05m, new DateOnly(2025, 2, 1)),
    ];

    private static ParquetTable<Row> NewTable() => new ParquetTable<Row>()
        .String("text", r => r.Text)
        .Int("line", r => r.Line)
        .Money("amount", r => r.Amount)
        .NullableDate("ended", r => r.Ended);

    [Fact]
    public async Task DuckDB_reads_back_exactly_the_rows_written()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "rows.parquet");
        await File.WriteAllBytesAsync(file, await NewTable().ToBytesAsync(Rows));

        var rows = DuckDb.Query($"select text, line, amount, ended from read_parquet('{file}') order by line");

        Assert.Equal(3, rows.Count);
        Assert.Equal(new object?[] { "Hyra kontor", 12, 18000.00m, new DateOnly(2025, 1, 31) }, rows[0]);
        Assert.Equal(new object?[] { null, 13, -18000.00m, null }, rows[1]);
        Assert.Equal(new object?[] { "Kommun 9904", 14, 0.05m, new DateOnly(2025, 2, 1) }, rows[2]);
    }

    [Fact]
    public async Task One_table_written_from_many_threads_at_once_gives_the_same_bytes_every_time()
    {
        // Parquet.Net sets a field's definition level each time a schema is made from it. A table whose
        // fields were shared by writers running at once got a level of 2 for an optional column now
        // and then: a file that DuckDB refuses ("Payload value bigger than allowed. Corrupted file?").
        var table = NewTable();
        var expected = await table.ToBytesAsync(Rows);
        var different = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            for (var i = 0; i < 5000; i++)
            {
                var bytes = await table.ToBytesAsync(Rows, ct);
                if (!expected.SequenceEqual(bytes)) Interlocked.Increment(ref different);
            }
        });

        Assert.Equal(0, different);
    }

    [Fact]
    public void The_columns_of_a_large_table_can_be_joined_with_this_Parquet_Net_version()
    {
        // The join calls Parquet.Net's own footer writer, which is not public; an upgrade that drops it
        // would make large partitions encode on one core without anything failing.
        Assert.True(ParquetColumnJoin.Available);
    }

    [Fact]
    public async Task A_large_table_encoded_column_by_column_on_all_cores_reads_back_exactly()
    {
        var rows = Enumerable.Range(0, ParquetTable<Row>.ParallelFromRows + 10_010).Select(i => new Row(
            i % 7 == 0 ? null : $"text {i % 100}",
            i,
            i % 2 == 0 ? i * 0.01m : -i * 0.25m,
            i % 3 == 0 ? null : new DateOnly(2025, 1, 1).AddDays(i % 365))).ToList();
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "rows.parquet");
        await File.WriteAllBytesAsync(file, await NewTable().ToBytesAsync(rows));

        var totals = DuckDb.Query($"select count(*), count(text), count(distinct text), sum(line), sum(amount), count(ended), max(ended) from read_parquet('{file}')").Single();
        Assert.Equal(new object?[]
        {
            (long)rows.Count, (long)rows.Count(r => r.Text is not null), (long)rows.Select(r => r.Text).Where(t => t is not null).Distinct().Count(),
            (System.Numerics.BigInteger)rows.Sum(r => (long)r.Line), rows.Sum(r => r.Amount), (long)rows.Count(r => r.Ended is not null), rows.Max(r => r.Ended),
        }, totals);
        Assert.Equal(new object?[] { null, 29_995, -7498.75m, new DateOnly(2025, 3, 7) },
            DuckDb.Query($"select text, line, amount, ended from read_parquet('{file}') where line = 29995").Single());
        Assert.Equal(new object?[] { "text 3", 30_003, -7500.75m, null },
            DuckDb.Query($"select text, line, amount, ended from read_parquet('{file}') where line = 30003").Single());

        var layout = DuckDb.Query($"select row_group_id, path_in_schema, encodings from parquet_metadata('{file}') order by column_id");
        Assert.Equal(["text", "line", "amount", "ended"], layout.Select(c => (string)c[1]!));
        Assert.All(layout, c => Assert.Equal(0L, c[0]));
        Assert.Contains("DICTIONARY", (string)layout[0][2]!); // a string column with repeated values
    }

    [Fact]
    public async Task A_table_larger_than_two_row_groups_is_written_in_row_groups_and_reads_back_exactly()
    {
        var rows = Enumerable.Range(0, ParquetTable<Row>.RowGroupsFromRows + 1).Select(i => new Row(
            i % 7 == 0 ? null : $"text {i % 100}", i, i * 0.01m, i % 3 == 0 ? null : new DateOnly(2025, 1, 1).AddDays(i % 365))).ToList();
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "rows.parquet");
        var bytes = await NewTable().ToBytesAsync(rows);
        await File.WriteAllBytesAsync(file, bytes);

        var totals = DuckDb.Query($"select count(*), count(text), sum(line), sum(amount), count(ended) from read_parquet('{file}')").Single();
        Assert.Equal(new object?[]
        {
            (long)rows.Count, (long)rows.Count(r => r.Text is not null), (System.Numerics.BigInteger)rows.Sum(r => (long)r.Line), rows.Sum(r => r.Amount),
            (long)rows.Count(r => r.Ended is not null),
        }, totals);
        Assert.Equal(new object?[] { "text 60", 245_760, 2457.60m, null }, // the last row, alone in the third row group
            DuckDb.Query($"select text, line, amount, ended from read_parquet('{file}') where line = 245760").Single());
        var groups = DuckDb.Query($"select row_group_id, max(row_group_num_rows) from parquet_metadata('{file}') group by all order by all");
        Assert.Equal([[0L, 122_880L], [1L, 122_880L], [2L, 1L]], groups.Select(g => new object?[] { g[0], g[1] }));
        Assert.Equal(bytes, await NewTable().ToBytesAsync(rows)); // the same rows, the same bytes
    }
}
