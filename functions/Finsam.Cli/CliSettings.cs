using System.CommandLine;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;

namespace Finsam.Cli;

/// <summary>
/// Storage and secrets for the commands. Options win over environment variables; with neither,
/// the local folder ./finsam-data is used. Secrets come from the environment only.
/// </summary>
public sealed class CliSettings(Func<string, string?> environment)
{
    public const string StorageFolderVariable = "FINSAM_STORAGE";
    public const string ConnectionStringVariable = "FINSAM_STORAGE_CONNECTION_STRING";
    public const string AccountUrlVariable = "FINSAM_STORAGE_ACCOUNT_URL";

    public Func<string, string?> Environment { get; } = environment;

    public Option<string?> StorageOption { get; } = new("--storage")
    {
        Description = $"Local folder to use as storage (default {StorageOptions.DefaultLocalFolder}, or ${StorageFolderVariable}).",
    };

    public Option<string?> AccountUrlOption { get; } = new("--account-url")
    {
        Description = $"Azure Blob Storage account URL, signed in with DefaultAzureCredential (or ${AccountUrlVariable}). " +
                      $"A connection string is read from ${ConnectionStringVariable} only, never from the command line.",
    };

    public void AddStorageOptions(Command command)
    {
        command.Add(StorageOption);
        command.Add(AccountUrlOption);
    }

    public StorageOptions Storage(ParseResult parse)
    {
        if (parse.GetValue(StorageOption) is { } folder) return new StorageOptions(LocalFolder: folder);
        if (parse.GetValue(AccountUrlOption) is { } accountUrl) return new StorageOptions(AccountUrl: accountUrl);
        return new StorageOptions(Environment(StorageFolderVariable), Environment(ConnectionStringVariable), Environment(AccountUrlVariable));
    }

    public Option<string?> QueriesOption { get; } = new("--queries") { Description = "The SQL project folder (default: the queries/ shipped with finsam)." };

    public Option<string?> WorkOption { get; } = new("--work")
    {
        Description = "Folder for the local cache of curated data and DuckDB's temporary files (default: finsam-work in the system temp folder).",
    };

    public Option<string?> MemoryLimitOption { get; } = new("--memory-limit") { Description = "DuckDB's memory limit, e.g. 512MB (the default) or 2GB." };

    public Option<int?> ThreadsOption { get; } = new("--threads") { Description = "DuckDB's worker threads (default: one per core)." };

    public void AddModelOptions(Command command)
    {
        command.Add(QueriesOption);
        command.Add(WorkOption);
        command.Add(MemoryLimitOption);
        command.Add(ThreadsOption);
    }

    public ModelOptions ModelOptions(ParseResult parse)
    {
        var queries = parse.GetValue(QueriesOption) ?? ShippedFolders.Find("queries", SourceViews.KpiCatalogFile)
            ?? throw new ArgumentException("The SQL project (queries/) was not found; pass --queries DIR.");
        var work = parse.GetValue(WorkOption) ?? Path.Combine(Path.GetTempPath(), "finsam-work");
        var options = new ModelOptions(Path.GetFullPath(queries), Path.GetFullPath(work));
        if (parse.GetValue(MemoryLimitOption) is { } memory) options = options with { MemoryLimit = memory };
        if (parse.GetValue(ThreadsOption) is { } threads) options = options with { Threads = threads };
        return options;
    }

    public Pseudonymizer Pseudonymizer() => Finsam.Pipeline.Privacy.Pseudonymizer.FromBase64(Environment(PseudonymKeyException.EnvironmentVariable));
}
