using Finsam.Pipeline;
using Finsam.Pipeline.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// What `finsam host` composes, in one place (the twin of the Functions app's FunctionsRegistration): the pipeline through
/// <see cref="PipelineRegistration.AddFinsamPipeline"/> with the pseudonymisation key required, the hosted services
/// that play the Functions app's triggers, and structured console logs.
/// </summary>
public static class LocalHostRegistration
{
    public static HostApplicationBuilder AddFinsamLocalHost(this HostApplicationBuilder builder, bool jsonLogs)
    {
        builder.Logging.AddFinsamConsole(jsonLogs);
        builder.Services.AddFinsamPipeline(builder.Configuration).RequirePseudonymKey();
        builder.Services.AddSingleton<PipelineTurns>();
        builder.Services.AddHostedService<LandingPoller>();
        builder.Services.AddHostedService<ScheduledBuild>();
        builder.Services.AddHostedService<ScheduledRelease>();
        builder.Services.AddHostedService<NightlyRetention>();
        builder.Services.AddHostedService<DailyDeliveryCheck>();
        return builder;
    }

    /// <summary>Structured console logs, one line (or one JSON object) per event, for every long-running command.</summary>
    public static ILoggingBuilder AddFinsamConsole(this ILoggingBuilder logging, bool jsonLogs)
    {
        logging.ClearProviders();
        if (jsonLogs)
            logging.AddJsonConsole(o => (o.UseUtcTimestamp, o.TimestampFormat) = (true, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
        else
            logging.AddSimpleConsole(o => (o.SingleLine, o.UseUtcTimestamp, o.TimestampFormat) = (true, true, "yyyy-MM-dd HH:mm:ss'Z' "));
        // The host's own start and stop lines, and warnings from the framework; the pipeline's information.
        return logging.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }

    /// <summary>
    /// Reads the settings and makes the services before the host starts, so that a wrong setting ends the command with its
    /// own message (exit code 2) instead of a start-up failure logged with a stack trace.
    /// </summary>
    public static void CheckSettings(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<FinsamOptions>>().Value;
        }
        catch (InvalidOperationException e)
        {
            // A value the binder cannot convert, e.g. Finsam__LocalHost__PollInterval=soon; the message names the setting.
            throw new FinsamConfigurationException(e.Message);
        }
        _ = services.GetServices<IHostedService>().ToList();
    }
}
