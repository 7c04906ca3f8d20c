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
}
