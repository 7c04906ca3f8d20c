using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Finsam.Pipeline.Functions.Tests.Support;

/// <summary>
/// The Functions app as Program.cs composes it (<see cref="FunctionsRegistration.AddFinsamFunctions"/>), with settings as
/// app settings give them, every log line recorded, and its function classes made the way the worker makes them.
/// Each app has its own containers in the shared Azurite (a name prefix), so tests do not see each other's blobs.
/// </summary>
public sealed class FunctionsApp : IDisposable
{
    private readonly IHost _host;
    private readonly TempFolder _work = new();

    public FunctionsApp(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, Func<IBlobStore, IBlobStore>? wrapStore = null,
        TimeProvider? clock = null)
    {
        Prefix = $"f{Guid.NewGuid():N}"[..12] + "-";
        ConnectionString = azurite.ConnectionString;
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FinsamStorage"] = azurite.ConnectionString,
            ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64,
            ["Finsam:Models:WorkFolder"] = _work.Path,
            ["Finsam:Models:QueriesFolder"] = Path.Combine(RepoPaths.Root, "queries"),
            ["Finsam:Storage:RetryDelay"] = "00:00:00",
            ["BUILD_SCHEDULE"] = "0 */10 * * * *",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(Logs);
        builder.AddFinsamFunctions();
        // Only the store is changed: the same Azurite account, with this app's container prefix.
        var store = new AzureBlobStore(new BlobServiceClient(azurite.ConnectionString), Prefix);
        builder.Services.Replace(ServiceDescriptor.Singleton<IBlobStore>(wrapStore?.Invoke(store) ?? store));
        if (clock is not null) builder.Services.Replace(ServiceDescriptor.Singleton(clock));
        Store = store;
        _host = builder.Build();
    }

    public string Prefix { get; }
    public string ConnectionString { get; }
    public IBlobStore Store { get; }
    public RecordingLoggerProvider Logs { get; } = new();
    public IServiceProvider Services => _host.Services;

    /// <summary>A function class, made as the worker makes it (constructor injection from the app's services).</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_host.Services);

    /// <summary>The client a blob trigger would bind for landing/{name}.</summary>
    public BlobClient LandingBlob(string name) => new(ConnectionString, Prefix + Containers.Landing, name);

    public void Dispose()
    {
        _host.Dispose();
        _work.Dispose();
    }
}

/// <summary>Records every log line of every category at every level, formatted, with its exception.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose() { }

    private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
