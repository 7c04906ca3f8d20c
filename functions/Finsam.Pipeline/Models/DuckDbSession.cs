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

    public DuckDbSession(ModelOptions options) : this(options, options.TempFolder)
    {
    }

    private DuckDbSession(ModelOptions options, string tempFolder)
    {
        MemoryLimit = options.MemoryLimit;
        foreach (var folder in new[] { tempFolder, options.HomeFolder, options.ExtensionFolder }) Directory.CreateDirectory(folder);
        _connection = new DuckDBConnection("DataSource=:memory:");
        _connection.Open();
        Execute($"""
            set memory_limit = '{options.MemoryLimit}';
            set threads = {options.Threads};
            set temp_directory = '{Quote(tempFolder)}';
            set home_directory = '{Quote(options.HomeFolder)}';
            set extension_directory = '{Quote(options.ExtensionFolder)}';
            set autoinstall_known_extensions = false;
            set autoload_known_extensions = false;
            set preserve_insertion_order = false;
            """);
    }

    /// <summary>DuckDB's memory_limit for this session, as configured (e.g. 512MB).</summary>
    public string MemoryLimit { get; }

    /// <summary>
    /// A database of its own for one worker of work done several at a time (compaction): one thread,
    /// an equal share of the memory limit, and a temp folder of its own. Separate databases share no
    /// state, so workers cannot disturb each other or the build's database.
    /// </summary>
    public static DuckDbSession ForWorker(ModelOptions options, int worker) =>
        new(options with { Threads = 1, MemoryLimit = ShareOf(options.MemoryLimit, options.Threads) }, Path.Combine(options.TempFolder, $"worker-{worker}"));

    /// <summary>"512MB" shared by 2 → "256MB"; a limit in a form not understood here is kept whole.</summary>
    public static string ShareOf(string memoryLimit, int shares)
    {
        var match = System.Text.RegularExpressions.Regex.Match(memoryLimit.Trim(), @"^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (!match.Success || shares < 1) return memoryLimit;
        var unit = match.Groups[2].Value.ToUpperInvariant();
        var power = "BKMGT".IndexOf(unit[0]);
        var bytes = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * Math.Pow(unit.Contains('I') ? 1024 : 1000, power);
        return $"{Math.Max(1, (long)(bytes / shares / 1_000_000))}MB";
    }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
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

    public static string Quote(string text) => text.Replace("'", "''");

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
