using DuckDB.NET.Data;

namespace Finsam.Bench;

/// <summary>DuckDB's own CSV → Parquet conversion of equivalent CSV: the baseline to compare against.</summary>
public static class DuckDbBaseline
{
    public static TimeSpan Measure(string work, byte[] csv, string columns, int runs)
    {
        var input = Path.Combine(work, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllBytes(input, csv);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var output = "";
        return Timing.Median(runs,
            setUp: () => output = Path.Combine(work, Guid.NewGuid().ToString("N") + ".parquet"),
            run: () =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"copy (select * from read_csv('{input}', header = true, delim = ';', columns = {columns})) to '{output}' (format parquet)";
                command.ExecuteNonQuery();
            },
            tearDown: () => File.Delete(output));
    }
}
