using System.CommandLine;
using System.Globalization;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Finsam.Cli.Commands;

/// <summary>
/// `finsam host`: the pipeline as a service on a laptop, an on-premises server or CI, the twin of the Azure Functions app:
/// ingests what lands and builds and publishes on BUILD_SCHEDULE until SIGTERM or Ctrl-C, then stops gracefully (exit 0).
/// A wrong setting ends it at once with exit code 2.
/// </summary>
public static class HostCommand
{
    public const string Name = "host";

    public static Command Create(IAnsiConsole console, CliSettings settings)
    {
        var poll = new Option<string?>("--poll")
        {
            Description = $"How often landing is read: seconds (30) or hh:mm:ss (default {LocalHostSettings.DefaultPollInterval:c}, or {FinsamSettings.EnvironmentName(o => o.LocalHost.PollInterval)}).",
        };
        var schedule = new Option<string?>("--schedule")
        {
            Description = $"When build-and-publish runs, in UTC: six-field NCRONTAB, seconds first (default '{PublishingSettings.DefaultBuildSchedule}', or {FinsamSettings.BuildSchedule}).",
        };
        var releaseSchedule = new Option<string?>("--release-schedule")
        {
            Description = $"When a member release of the kpi dataset is cut, in UTC: six-field NCRONTAB (default '{PublishingSettings.DefaultReleaseSchedule}', or {FinsamSettings.ReleaseSchedule}).",
        };
        var apiUrls = ApiCommand.UrlsOption("--api-urls");
        var logFormat = new Option<string>("--log-format") { Description = "simple (one line per event) or json (one JSON object per line).", DefaultValueFactory = _ => "simple" };
        logFormat.AcceptOnlyFromAmong("simple", "json");
        var command = new Command(Name, "Run as a service: ingest what lands in landing, build and publish the controller's data on the schedule, cut member releases on theirs (and serve the members' read API with --api-urls), until SIGTERM or Ctrl-C.") { poll, schedule, releaseSchedule, apiUrls, logFormat };
        settings.AddStorageOptions(command);
        settings.AddModelOptions(command);
        command.SetAction((parse, ct) => UserErrors.RunAsync(console, async () =>
        {
            var overlay = new Dictionary<string, string?>();
            if (parse.GetValue(poll) is { } interval) overlay[FinsamSettings.Key(o => o.LocalHost.PollInterval)] = PollInterval(interval).ToString("c", CultureInfo.InvariantCulture);
            if (parse.GetValue(schedule) is { } cron) overlay[FinsamSettings.BuildSchedule] = cron;
            if (parse.GetValue(releaseSchedule) is { } releaseCron) overlay[FinsamSettings.ReleaseSchedule] = releaseCron;
            // Only the command line's configuration: no appsettings.json, no second reading of the environment.
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(settings.Merged(parse, overlay));
            var json = parse.GetValue(logFormat) == "json";
            using var host = builder.AddFinsamLocalHost(jsonLogs: json).Build();
            LocalHostRegistration.CheckSettings(host.Services);
            // The read API beside ingestion: its own web host over the same configuration, stopped with the pipeline's.
            await using var api = parse.GetValue(apiUrls) is { } urls ? ReadApiHost.Build(builder.Configuration, urls, json) : null;
            if (api is not null) await ReadApiHost.StartAsync(api, ct);
            await host.StartAsync(ct);
            await host.WaitForShutdownAsync(ct);
            if (api is not null) await api.StopAsync(CancellationToken.None);
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HostCommand)).LogInformation("finsam host stopped gracefully");
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>Seconds (1, 0.5) or a time span (00:00:30); a bare number is never read as days.</summary>
    private static TimeSpan PollInterval(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
        : throw new ArgumentException($"--poll '{text}' is neither seconds (30) nor hh:mm:ss (00:00:30).");
}
