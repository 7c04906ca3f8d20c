using System.CommandLine;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>
/// `finsam api`: the members' read API (Kolada v3 and v2 shapes) served from the configured storage, the same routes the
/// Functions app serves, under /api/, until SIGTERM or Ctrl-C. For a controller on premises, a test, or a member trying a
/// Kolada client against a local copy.
/// </summary>
public static class ApiCommand
{
    public const string Name = "api";
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>--urls for `finsam api`, --api-urls for `finsam host`.</summary>
    public static Option<string?> UrlsOption(string name) => new(name)
    {
        Description = $"Where the read API listens, e.g. {DefaultUrls} (several separated by ';'). Without member keys " +
                      $"({FinsamSettings.EnvironmentName(o => o.Api.Keys)}) only a loopback address is allowed.",
    };

    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var urls = UrlsOption("--urls");
        var logFormat = new Option<string>("--log-format") { Description = "simple (one line per event) or json (one JSON object per line).", DefaultValueFactory = _ => "simple" };
        logFormat.AcceptOnlyFromAmong("simple", "json");
        var command = new Command(Name, $"Serve the members' read API (Kolada v3 and v2) from storage under /api/, read-only, at --urls (default {DefaultUrls}), until SIGTERM or Ctrl-C.")
        {
            urls, logFormat,
        };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            await using var app = ReadApiHost.Build(settings.Merged(parse), parse.GetValue(urls) ?? DefaultUrls, jsonLogs: parse.GetValue(logFormat) == "json");
            await ReadApiHost.StartAsync(app, ct);
            console.MarkupLineInterpolated($"The members' read API: {string.Join(", ", ReadApiHost.Addresses(app).Select(a => a + "/api/v3/"))} (and v2/). Ctrl-C stops it.");
            await app.WaitForShutdownAsync(ct);
            return CliApp.Ok;
        }));
        return command;
    }
}
