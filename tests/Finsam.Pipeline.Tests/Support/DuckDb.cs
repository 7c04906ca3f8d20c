using DuckDB.NET.Data;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>Real DuckDB over curated Parquet, as the controller and the SQL models will read it.</summary>
public static class DuckDb
{
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return QueryResult.Read(reader).Rows.ToList();
    }

    /// <summary>Copies a container to a local folder (DuckDB cannot read blob storage here).</summary>
    public static async Task<string> MaterializeAsync(IBlobStore store, string container, TempFolder into)
    {
        var root = Path.Combine(into.Path, container);
        await foreach (var blob in store.ListAsync(container))
        {
            var path = Path.Combine(root, blob.Name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, (await store.ReadAsync(container, blob.Name)).Bytes);
        }
        return root;
    }
}

/// <summary>Reads one curated Parquet blob with DuckDB, as rows of column name → value.</summary>
public static class CuratedReader
{
    public static async Task<List<Dictionary<string, object?>>> RowsAsync(IBlobStore store, string name)
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "data.parquet");
        await File.WriteAllBytesAsync(file, (await store.ReadAsync(Containers.Curated, name)).Bytes);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select * from read_parquet('{file}', hive_partitioning = false)";
        using var reader = command.ExecuteReader();
        return QueryResult.Read(reader).Records().ToList();
    }
}
