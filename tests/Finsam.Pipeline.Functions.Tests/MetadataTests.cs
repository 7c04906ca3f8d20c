using System.Text.Json;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>The functions.metadata the Worker SDK generates at build time: what the Functions host will index.</summary>
public class MetadataTests
{
    private static readonly JsonElement[] Functions = Read();

    private static JsonElement[] Read()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata was not generated beside the app ({path}).");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToArray();
    }

    private static JsonElement Binding(string function) =>
        Functions.Single(f => f.GetProperty("name").GetString() == function).GetProperty("bindings").EnumerateArray().First();

    [Fact]
    public void The_app_has_exactly_the_pipeline_functions()
    {
        Assert.Equal(["BuildAndPublish", "DeliveryReminder", "IngestLanding", "KoladaData", "KoladaDataV3", "KoladaKpi", "KoladaKpiGroups", "KoladaKpiGroupsV3", "KoladaKpiV3", "KoladaMunicipality", "KoladaMunicipalityGroups", "KoladaMunicipalityGroupsV3", "KoladaMunicipalityV3", "KoladaOu", "KoladaOuV3", "ReleaseKpi", "RetainOriginals", "Versions"],
            Functions.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Landing_is_an_event_grid_blob_trigger_on_the_storage_connection()
    {
        var trigger = Binding("IngestLanding");
        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal("landing/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("FinsamStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void The_build_runs_on_the_shared_schedule_setting_and_not_on_startup()
    {
        var trigger = Binding("BuildAndPublish");
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%BUILD_SCHEDULE%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.GetProperty("runOnStartup").GetBoolean());
    }

    [Fact]
    public void The_delivery_check_runs_every_morning_at_seven_utc()
    {
        var trigger = Binding("DeliveryReminder");
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("0 0 7 * * *", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.GetProperty("runOnStartup").GetBoolean());
    }

    [Fact]
    public void Retention_of_originals_runs_every_night_at_three_utc()
    {
        var trigger = Binding("RetainOriginals");
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("0 0 3 * * *", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.GetProperty("runOnStartup").GetBoolean());
    }

    [Fact]
    public void Member_releases_run_on_their_own_calendar_and_not_on_startup()
    {
        var trigger = Binding("ReleaseKpi");
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%RELEASE_SCHEDULE%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.GetProperty("runOnStartup").GetBoolean());
    }

    [Theory]
    [InlineData("KoladaData", "v2/data/{*query}")]
    [InlineData("KoladaKpi", "v2/kpi/{ids?}")]
    [InlineData("KoladaMunicipality", "v2/municipality/{ids?}")]
    [InlineData("KoladaDataV3", "v3/data/{*query}")]
    [InlineData("KoladaKpiV3", "v3/kpi/{ids?}")]
    [InlineData("KoladaMunicipalityV3", "v3/municipality/{ids?}")]
    [InlineData("KoladaKpiGroups", "v2/kpi_groups/{ids?}")]
    [InlineData("KoladaKpiGroupsV3", "v3/kpi_groups/{ids?}")]
    [InlineData("KoladaMunicipalityGroups", "v2/municipality_groups/{ids?}")]
    [InlineData("KoladaMunicipalityGroupsV3", "v3/municipality_groups/{ids?}")]
    [InlineData("KoladaOu", "v2/ou/{ids?}")]
    [InlineData("KoladaOuV3", "v3/ou/{ids?}")]
    [InlineData("Versions", "versions/{dataset}")]
    public void The_read_api_needs_a_function_key(string function, string route)
    {
        var trigger = Binding(function);
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
    }

    [Fact]
    public void Host_json_sits_beside_the_app_bounds_concurrent_ingestion_and_gives_a_release_half_an_hour()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"))).RootElement;
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")), File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        Assert.Equal(2, host.GetProperty("extensions").GetProperty("blobs").GetProperty("maxDegreeOfParallelism").GetInt32());
        // A county's year-to-date release in October took 7.3 minutes to protect (docs/benchmarks.md, "The county's later months"):
        // the Flex Consumption plan's default of 30 minutes, not the 10 of a Consumption plan.
        Assert.Equal(TimeSpan.FromMinutes(30), TimeSpan.Parse(host.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_sample_settings_show_every_setting_the_app_reads_with_azurite_values()
    {
        var values = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var names = values.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Empty(Finsam.Pipeline.Configuration.FinsamSettings.Names.Except(names));
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("FinsamStorage").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal(Finsam.Pipeline.Configuration.PublishingSettings.DefaultBuildSchedule, values.GetProperty("BUILD_SCHEDULE").GetString());
        Assert.Equal(Finsam.Pipeline.Configuration.PublishingSettings.DefaultReleaseSchedule, values.GetProperty("RELEASE_SCHEDULE").GetString());
    }
}
