using DuckDB.NET.Data;
using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Publishing;

/// <summary>
/// finsam.duckdb in the controller's snapshot: one view per Parquet file beside it, by relative path, so a
/// pulled version opens in the DuckDB CLI (or any SQL client) from its own folder: <c>cd DIR; duckdb finsam.duckdb</c>.
/// </summary>
public static class ControllerDatabase
{
    public const string FileName = "finsam.duckdb";

    public static byte[] Create(string folder, IReadOnlyList<string> tables)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path)) File.Delete(path);
        using (var connection = new DuckDBConnection($"DataSource={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // Relative paths resolve against file_search_path while the views are created, and against the working folder later.
            command.CommandText = $"set file_search_path = '{DuckDbSession.Quote(folder)}';\n" +
                string.Join('\n', tables.Select(t => $"create view {t} as select * from read_parquet('{t}.parquet');"));
            command.ExecuteNonQuery();
        }
        return File.ReadAllBytes(path);
    }
}
