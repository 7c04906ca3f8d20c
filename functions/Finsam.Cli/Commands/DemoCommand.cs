using System.CommandLine;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>
/// `finsam demo`: copies the sample federations' reference data and monthly exports into local
/// storage and ingests them. Without a configured key it makes a demo key beside the data.
/// </summary>
public static class DemoCommand
{
    public const string DemoKeyFile = ".demo-pseudonym-key";

    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var samples = new Option<DirectoryInfo?>("--samples") { Description = "The samples folder (default: the one shipped with finsam)." };
        var command = new Command("demo", "Copy the samples into landing of the local storage and ingest them.") { samples };
        command.Add(settings.StorageOption);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            var folder = parse.GetValue(samples)?.FullName ?? ShippedFolders.Samples();
            if (folder is null || !Directory.Exists(Path.Combine(folder, "landing")))
                throw new ArgumentException("The samples folder was not found; pass --samples DIR (a folder with landing/ and reference/).");

            // The demo always runs on a local folder, whatever storage the environment names.
            var overlay = new Dictionary<string, string?>();
            var root = CliSettings.Flag(parse, settings.StorageOption) ?? StorageConnection.DefaultFolder(settings.Configuration);
            CliSettings.UseLocalFolder(overlay, root);
            // The key as every setting is read (bound options, the earlier name included), or one made for the demo.
            await using (var configured = settings.Services(parse))
                overlay[FinsamSettings.Key(o => o.Privacy.PseudonymKey)] =
                    DemoKey(console, configured.GetRequiredService<IOptions<FinsamOptions>>().Value.Privacy.PseudonymKey, root);
            await using var services = settings.Services(parse, overlay);
            var store = services.GetRequiredService<IBlobStore>();
            var copied = await CopySamplesAsync(store, folder, ct);
            console.MarkupLineInterpolated($"Copied {copied} sample file(s) from {folder} into {store.Description}");

            var summary = await services.GetRequiredService<IngestionService>().IngestAllAsync(OutcomePrinter.Progress(console), ct);
            OutcomePrinter.Summary(console, summary, store.Description);
            console.MarkupLineInterpolated($"Curated Parquet: {Path.Combine(Path.GetFullPath(root), Containers.Curated)}");
            return summary.Rejected + summary.Failed > 0 ? CliApp.InputRejected : CliApp.Ok;
        }));
        return command;
    }

    private static async Task<int> CopySamplesAsync(IBlobStore store, string samplesFolder, CancellationToken ct)
    {
        var copied = 0;
        foreach (var container in new[] { Containers.Reference, Containers.Landing })
        {
            var source = Path.Combine(samplesFolder, container);
            if (!Directory.Exists(source)) continue;
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/');
                await store.WriteAsync(container, name, await File.ReadAllBytesAsync(file, ct), WriteCondition.Overwrite, ct);
                copied++;
            }
        }
        return copied;
    }

    /// <summary>The configured key, or a throw-away key kept beside the demo data.</summary>
    private static string DemoKey(IAnsiConsole console, string? configured, string storageRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        Directory.CreateDirectory(storageRoot);
        var keyFile = Path.Combine(storageRoot, DemoKeyFile);
        if (!File.Exists(keyFile))
            File.WriteAllText(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        console.MarkupLineInterpolated($"[yellow]No {PseudonymKeyException.SettingName} set: using a demo key in {keyFile}. Never do this with real data.[/]");
        return File.ReadAllText(keyFile);
    }
}
