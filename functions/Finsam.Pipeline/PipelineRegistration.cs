using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline;

/// <summary>
/// The one front door into the core. Every host (the command line, the Azure Functions app, the local host, tests)
/// composes the pipeline with <see cref="AddFinsamPipeline"/> and then only calls the use cases:
/// <see cref="IngestionService"/> (one landing blob, or all of landing), <see cref="ModelBuilder"/> (build and check),
/// <see cref="BuildAndPublish"/> (the scheduled job) and <see cref="FileValidator"/> (a file before it is dropped).
/// </summary>
public static class PipelineRegistration
{
    public static IServiceCollection AddFinsamPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        // One way to read a setting: bound from this configuration, which has the shared and the earlier names in it.
        configuration = FinsamConfiguration.WithSharedAndEarlierNames(configuration);
        services.AddOptions<FinsamOptions>()
            .Bind(configuration.GetSection(FinsamOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FinsamOptions>>(new FinsamOptionsValidator(configuration)));
        services.AddAzureClientsCore();
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(_ => StorageConnection.Read(configuration));
        services.TryAddSingleton(provider => provider.GetRequiredService<StorageConnection>()
            .CreateStore(configuration, provider.GetRequiredService<AzureComponentFactory>()));
        services.TryAddSingleton(provider => Pseudonymizer.FromBase64(Options(provider).Privacy.PseudonymKey));
        services.TryAddSingleton(provider => ModelOptionsFrom(Options(provider).Models));

        services.TryAddSingleton(provider => new IngestionService(
            provider.GetRequiredService<IBlobStore>(), provider.GetRequiredService<Pseudonymizer>(), provider.GetRequiredService<TimeProvider>(),
            Options(provider), provider.GetService<ILogger<IngestionService>>()));
        services.TryAddSingleton<DeliveryCheck>();
        services.TryAddSingleton<OriginalsRetention>();
        services.TryAddSingleton<Erasure.PersonErasure>();
        services.TryAddSingleton<ModelBuilder>();
        services.TryAddSingleton<BuildAndPublish>();
        services.TryAddSingleton(provider => new Publisher(provider.GetRequiredService<IBlobStore>(), provider.GetRequiredService<TimeProvider>(),
            Options(provider).Publishing.ParticipantYearsChoice));
        services.TryAddSingleton<DatasetVersions>();
        services.TryAddSingleton<VersionPuller>();
        services.TryAddSingleton<VersionDiff>();
        services.TryAddSingleton<ReadApi.KoladaApi>();
        return services;
    }

    /// <summary>For hosts that ingest participant files unattended: start only with a pseudonymisation key.</summary>
    public static IServiceCollection RequirePseudonymKey(this IServiceCollection services)
    {
        services.AddOptions<FinsamOptions>().Validate(
            options => !string.IsNullOrWhiteSpace(options.Privacy.PseudonymKey),
            $"{PseudonymKeyException.SettingName} is not set. This host ingests participant files and needs the pseudonymisation key " +
            $"(base64 of at least {Pseudonymizer.MinimumKeyBytes} random bytes; in Azure a Key Vault reference).");
        return services;
    }

    private static FinsamOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<FinsamOptions>>().Value;

    private static ModelOptions ModelOptionsFrom(ModelSettings models)
    {
        var queries = Value(models.QueriesFolder) ?? ShippedFolders.Queries()
            ?? throw new FinsamConfigurationException($"The SQL project (queries/) was not found beside the program or above the current folder; set {FinsamSettings.EnvironmentName(o => o.Models.QueriesFolder)} (or pass --queries DIR).");
        var work = Value(models.WorkFolder) ?? Path.Combine(Path.GetTempPath(), "finsam-work");
        var options = new ModelOptions(Path.GetFullPath(queries), Path.GetFullPath(work)) { MemoryLimit = models.MemoryLimit };
        return models.Threads is { } threads ? options with { Threads = threads } : options;
    }

    private static string? Value(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
