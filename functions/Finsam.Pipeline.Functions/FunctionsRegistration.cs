using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Finsam.Pipeline.Functions;

/// <summary>What Program.cs composes, in one place so that tests build the same service provider.</summary>
public static class FunctionsRegistration
{
    public static FunctionsApplicationBuilder AddFinsamFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        // Application Insights' logger provider keeps only warnings unless its default rule is removed; the pipeline
        // logs each file's outcome and each build at Information.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var defaultRule = options.Rules.FirstOrDefault(rule =>
                rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (defaultRule is not null) options.Rules.Remove(defaultRule);
        });
        builder.Services.AddFinsamPipeline(builder.Configuration).RequirePseudonymKey();
        return builder;
    }
}
