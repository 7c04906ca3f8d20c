using System.CommandLine;
using Finsam.Pipeline;
using Finsam.Pipeline.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Finsam.Cli;

/// <summary>
/// The command line's flags, overlaid on the same configuration every host reads (environment variables:
/// <c>Finsam__…</c>, <c>FinsamStorage</c>, and the earlier <c>FINSAM_*</c> names), and the pipeline composed from it by
/// <see cref="PipelineRegistration.AddFinsamPipeline"/>. Flags win over the environment. Secrets come from the environment only.
/// </summary>
public sealed class CliSettings(IConfiguration configuration)
{
    /// <summary>The environment with the shared and earlier names in it (<see cref="FinsamConfiguration"/>).</summary>
    public IConfiguration Configuration { get; } = FinsamConfiguration.WithSharedAndEarlierNames(configuration);

    public Option<string?> StorageOption { get; } = new("--storage")
    {
        Description = $"Local folder to use as storage (default {StorageSettings.DefaultLocalFolder}, or {FinsamSettings.EnvironmentName(o => o.Storage.LocalFolder)}).",
    };

    public Option<string?> AccountUrlOption { get; } = new("--account-url")
    {
        Description = $"Azure Blob Storage account URL, signed in with DefaultAzureCredential (or {FinsamSettings.StorageConnection}__blobServiceUri). " +
                      $"A connection string is read from the setting {FinsamSettings.StorageConnection} only, never from the command line.",
    };

    public Option<string?> QueriesOption { get; } = new("--queries") { Description = "The SQL project folder (default: the queries/ shipped with finsam)." };

    public Option<string?> WorkOption { get; } = new("--work")
    {
        Description = "Folder for the local cache of curated data and DuckDB's temporary files (default: finsam-work in the system temp folder).",
    };

    public Option<string?> MemoryLimitOption { get; } = new("--memory-limit") { Description = $"DuckDB's memory limit, e.g. {ModelSettings.DefaultMemoryLimit} (the default) or 2GB." };

    public Option<int?> ThreadsOption { get; } = new("--threads") { Description = "DuckDB's worker threads (default: one per core)." };

    public void AddStorageOptions(Command command)
    {
        command.Add(StorageOption);
        command.Add(AccountUrlOption);
    }

    public void AddModelOptions(Command command)
    {
        command.Add(QueriesOption);
        command.Add(WorkOption);
        command.Add(MemoryLimitOption);
        command.Add(ThreadsOption);
    }

    /// <summary>The pipeline for one command: the configuration with the command's flags (and <paramref name="extra"/>) on top.</summary>
    public ServiceProvider Services(ParseResult parse, IReadOnlyDictionary<string, string?>? extra = null) =>
        new ServiceCollection().AddFinsamPipeline(Merged(parse, extra)).BuildServiceProvider();

    /// <summary>The configuration with the command's flags (and <paramref name="extra"/>) on top, for a command that composes a host of its own.</summary>
    public IConfiguration Merged(ParseResult parse, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var overlay = new Dictionary<string, string?>();
        if (Flag(parse, StorageOption) is { } folder) UseLocalFolder(overlay, folder);
        else if (Flag(parse, AccountUrlOption) is { } accountUrl)
        {
            ClearStorage(overlay);
            overlay[$"{FinsamSettings.StorageConnection}:blobServiceUri"] = accountUrl;
        }
        if (Flag(parse, QueriesOption) is { } queries) overlay[FinsamSettings.Key(o => o.Models.QueriesFolder)] = queries;
        if (Flag(parse, WorkOption) is { } work) overlay[FinsamSettings.Key(o => o.Models.WorkFolder)] = work;
        if (Flag(parse, MemoryLimitOption) is { } memory) overlay[FinsamSettings.Key(o => o.Models.MemoryLimit)] = memory;
        if (parse.GetResult(ThreadsOption) is not null && parse.GetValue(ThreadsOption) is { } threads)
            overlay[FinsamSettings.Key(o => o.Models.Threads)] = threads.ToString();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) overlay[key] = value;
        return new ConfigurationBuilder().AddConfiguration(Configuration).AddInMemoryCollection(overlay).Build();
    }

    /// <summary>Storage is the local folder <paramref name="folder"/>, whatever connection the environment names.</summary>
    public static void UseLocalFolder(IDictionary<string, string?> overlay, string folder)
    {
        ClearStorage(overlay);
        overlay[FinsamSettings.Key(o => o.Storage.LocalFolder)] = folder;
    }

    private static void ClearStorage(IDictionary<string, string?> overlay)
    {
        // The earlier names are read under these (FinsamConfiguration), so clearing these clears them too.
        foreach (var key in new[] { FinsamSettings.StorageConnection, $"{FinsamSettings.StorageConnection}:blobServiceUri", $"{FinsamSettings.StorageConnection}:serviceUri" })
            overlay[key] = "";
    }

    /// <summary>An option's value when the command has it and it was given.</summary>
    public static string? Flag(ParseResult parse, Option<string?> option) => parse.GetResult(option) is null ? null : parse.GetValue(option);
}
