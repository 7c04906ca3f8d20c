using System.Data.Common;
using DuckDB.NET.Data;

namespace Finsam.Pipeline.Models;

/// <summary>
/// One in-memory DuckDB connection configured from <see cref="ModelOptions"/>. Insertion order is not
/// preserved (it costs memory on large inputs): every query whose row order matters says ORDER BY.
/// </summary>
public sealed class DuckDbSession : IDisposable
{
    private readonly DuckDBConnection _connection;

    public DuckDbSession(ModelOptions options)
    {
        MemoryLimit = options.MemoryLimit;
        foreach (var folder in new[] { options.TempFolder, options.HomeFolder, options.ExtensionFolder }) Directory.CreateDirectory(folder);
        _connection = new DuckDBConnection("DataSource=:memory:");
        _connection.Open();
        Execute($"""
            set memory_limit = '{options.MemoryLimit}';
            set threads = {options.Threads};
            set temp_directory = '{Quote(options.TempFolder)}';
            set home_directory = '{Quote(options.HomeFolder)}';
            set extension_directory = '{Quote(options.ExtensionFolder)}';
            set autoinstall_known_extensions = false;
            set autoload_known_extensions = false;
            set preserve_insertion_order = false;
            """);
    }

    /// <summary>DuckDB's memory_limit for this session, as configured (e.g. 512MB).</summary>
    public string MemoryLimit { get; }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: committed whole, or rolled back, the first error thrown again.</summary>
    public void InTransaction(Action work)
    {
        Execute("begin transaction");
        try
        {
            work();
            Execute("commit");
        }
        catch
        {
            try
            {
                Execute("rollback");
            }
            catch (DuckDBException)
            {
                // A commit that failed has ended the transaction already; the first error is the one to report.
            }
            throw;
        }
    }

    public QueryResult Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return QueryResult.Read(reader);
    }

    /// <summary>Appends rows of (long, string) to a table with DuckDB's appender.</summary>
    public void Append(string table, IEnumerable<(long Id, string Text)> rows)
    {
        using var appender = _connection.CreateAppender(table);
        foreach (var (id, text) in rows) appender.CreateRow().AppendValue(id).AppendValue(text).EndRow();
    }

    /// <summary>Appends rows of text to a table with DuckDB's appender: tens of thousands of rows without one long SQL statement to parse.</summary>
    public void Append(string table, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var appender = _connection.CreateAppender(table);
        foreach (var row in rows)
        {
            var appended = appender.CreateRow();
            foreach (var value in row) appended = appended.AppendValue(value);
            appended.EndRow();
        }
    }

    public static string Quote(string text) => text.Replace("'", "''");

    /// <summary>A text as an SQL string literal.</summary>
    public static string Literal(string text) => $"'{Quote(text)}'";

    public void Dispose() => _connection.Dispose();
}

/// <summary>Rows of a query, with column names and DuckDB type names.</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<string> Types, IReadOnlyList<object?[]> Rows)
{
    public static QueryResult Read(DbDataReader reader)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return new QueryResult(columns, types, rows);
    }

    public IEnumerable<Dictionary<string, object?>> Records() =>
        Rows.Select(r => Columns.Select((c, i) => (c, r[i])).ToDictionary(x => x.c, x => x.Item2));
}
