using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>The app's service provider, built by the same registration as Program.cs.</summary>
[Collection(AzuriteCollection.Name)]
public class CompositionTests(AzuriteFixture azurite)
{
    [Fact]
    public void Every_function_class_is_made_from_the_apps_services()
    {
        using var app = new FunctionsApp(azurite);

        Assert.NotNull(app.Function<IngestLanding>());
        Assert.NotNull(app.Function<ScheduledBuild>());
        Assert.NotNull(app.Function<KoladaRead>());
    }

    [Fact]
    public async Task The_storage_connection_setting_alone_selects_azure_blob_storage()
    {
        using var host = Build(new() { ["FinsamStorage"] = azurite.ConnectionString, ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64 });

        var store = host.Services.GetRequiredService<IBlobStore>();
        Assert.IsType<AzureBlobStore>(store);
        var name = $"composition/{Guid.NewGuid():N}.txt";
        await store.WriteAsync(Containers.Raw, name, "x"u8.ToArray(), WriteCondition.Overwrite);
        Assert.Equal("x"u8.ToArray(), (await new Azure.Storage.Blobs.BlobClient(azurite.ConnectionString, Containers.Raw, name).DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public void A_missing_pseudonym_key_stops_the_app_at_start_naming_the_setting()
    {
        using var host = Build(new() { ["FinsamStorage"] = azurite.ConnectionString });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<FinsamOptions>>().Value);
        Assert.StartsWith("Finsam__Privacy__PseudonymKey is not set. This host ingests participant files", e.Failures.Single());
    }

    [Fact]
    public void A_wrong_setting_is_named_with_its_value_and_what_is_expected()
    {
        using var host = Build(new()
        {
            ["FinsamStorage"] = azurite.ConnectionString,
            ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64,
            ["BUILD_SCHEDULE"] = "every ten minutes",
            ["Finsam:Models:MemoryLimit"] = "lots",
        });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<FinsamOptions>>().Value);
        Assert.Equal([
            "Finsam__Models__MemoryLimit ('lots') is not a size such as 512MB or 2GB.",
            "BUILD_SCHEDULE ('every ten minutes') is not a six-field NCRONTAB expression (second minute hour day month weekday), e.g. '0 */10 * * * *' for every 10 minutes.",
        ], e.Failures);
    }

    [Fact]
    public void The_ingestion_use_case_gets_the_limits_and_the_key_from_settings()
    {
        using var host = Build(new() { ["FinsamStorage"] = azurite.ConnectionString, ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64, ["Finsam:Limits:MaxFileBytes"] = "2048" });

        Assert.NotNull(host.Services.GetRequiredService<IngestionService>());
        Assert.Equal(2048, host.Services.GetRequiredService<IOptions<FinsamOptions>>().Value.Limits.MaxFileBytes);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFinsamFunctions();
        return builder.Build();
    }
}
