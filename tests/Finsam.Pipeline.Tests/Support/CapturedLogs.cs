using Microsoft.Extensions.Logging;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>A logger provider that keeps every entry, for tests that check what a host logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Values);

    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    /// <summary>Waits (with a generous deadline) until an entry matches.</summary>
    public async Task<Entry> WaitForAsync(Func<Entry, bool> match, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (Entries.FirstOrDefault(match) is { } entry) return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No such log entry within {deadline.TotalSeconds} s. Logged:\n{string.Join('\n', Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"))}");
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            var entry = new Entry(logLevel, category, formatter(state, exception), values.ToDictionary(v => v.Key, v => v.Value));
            lock (logs._entries) logs._entries.Add(entry);
        }
    }
}
