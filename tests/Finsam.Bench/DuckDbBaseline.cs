using DuckDB.NET.Data;

namespace Finsam.Bench;

/// <summary>DuckDB's own CSV → Parquet conversion of equivalent CSV: the baseline to compare against.</summary>
public sealed class DuckDbBaseline : IDisposable
{
    private readonly string _work;
    private readonly string _input;
    private readonly string _columns;
    private readonly DuckDBConnection _connection = new("DataSource=:memory:");
    private string _output = "";

    public DuckDbBaseline(string work, byte[] csv, string columns)
    {
        (_work, _columns) = (work, columns);
        _input = Path.Combine(work, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllBytes(_input, csv);
        _connection.Open();
    }

    /// <summary>One conversion; choosing the output name and deleting it afterwards are not timed.</summary>
    public Timed Trial() => new(
        SetUp: () => _output = Path.Combine(_work, Guid.NewGuid().ToString("N") + ".parquet"),
        Run: () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"copy (select * from read_csv('{_input}', header = true, delim = ';', columns = {_columns})) to '{_output}' (format parquet)";
            command.ExecuteNonQuery();
        },
        TearDown: () => File.Delete(_output));

    public void Dispose()
    {
        _connection.Dispose();
        File.Delete(_input);
    }
}
