using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Tests.Configuration;

/// <summary>The one front door: settings as hosts give them, the earlier FINSAM_* names, and messages that name the wrong setting.</summary>
public class PipelineRegistrationTests
{
    private static ServiceProvider Services(Dictionary<string, string> settings) =>
        new ServiceCollection().AddFinsamPipeline(TestConfiguration.From(settings)).BuildServiceProvider();

    [Fact]
    public void Settings_bind_from_the_finsam_section_and_the_shared_schedule()
    {
        using var services = Services(new()
        {
            ["Finsam:Models:MemoryLimit"] = "2GB",
            ["Finsam:Models:Threads"] = "3",
            ["Finsam:Publishing:KeepLast"] = "12",
            ["Finsam:Limits:MaxFileBytes"] = "5000000",
            ["Finsam:LocalHost:PollInterval"] = "00:00:05",
            ["BUILD_SCHEDULE"] = "0 0 6 * * *",
        });

        var options = services.GetRequiredService<IOptions<FinsamOptions>>().Value;
        Assert.Equal(("2GB", 3, 12, 5_000_000L, TimeSpan.FromSeconds(5), "0 0 6 * * *"),
            (options.Models.MemoryLimit, options.Models.Threads, options.Publishing.KeepLast, options.Limits.MaxFileBytes, options.LocalHost.PollInterval, options.Publishing.BuildSchedule));
        var models = services.GetRequiredService<ModelOptions>();
        Assert.Equal(("2GB", 3), (models.MemoryLimit, models.Threads));
    }

    [Fact]
    public void The_earlier_environment_names_still_work()
    {
        using var folder = new TempFolder();
        using var services = Services(new() { ["FINSAM_PSEUDONYM_KEY"] = TestPersons.KeyBase64, ["FINSAM_STORAGE"] = folder.Path });

        Assert.Equal(TestPersons.KeyBase64, services.GetRequiredService<IOptions<FinsamOptions>>().Value.Privacy.PseudonymKey);
        Assert.Equal($"local folder {folder.Path}", services.GetRequiredService<IBlobStore>().Description);
        Assert.NotNull(services.GetRequiredService<Pseudonymizer>());
    }

    [Fact]
    public void The_new_names_win_over_the_earlier_ones()
    {
        using var folder = new TempFolder();
        using var other = new TempFolder();
        using var services = Services(new() { ["Finsam:Storage:LocalFolder"] = folder.Path, ["FINSAM_STORAGE"] = other.Path });

        Assert.Equal($"local folder {folder.Path}", services.GetRequiredService<IBlobStore>().Description);
    }

    [Fact]
    public void Setting_keys_are_derived_from_the_options_and_a_shared_name_is_read_from_the_top_level_only()
    {
        using var services = Services(new() { ["Finsam:Publishing:BuildSchedule"] = "0 0 7 * * *" });

        Assert.Equal("Finsam:Models:QueriesFolder", FinsamSettings.Key(o => o.Models.QueriesFolder));
        Assert.Equal("Finsam__LocalHost__PollInterval", FinsamSettings.EnvironmentName(o => o.LocalHost.PollInterval));
        Assert.Equal(PseudonymKeyException.SettingName, FinsamSettings.EnvironmentName(o => o.Privacy.PseudonymKey));
        Assert.Equal("BUILD_SCHEDULE", FinsamSettings.Key(o => o.Publishing.BuildSchedule));
        Assert.All(FinsamSettings.LegacyNames.Values, name => Assert.Contains(name, FinsamSettings.Names));
        // The Functions timer reads %BUILD_SCHEDULE% only: a value in the section would make the two hosts disagree.
        Assert.Equal(PublishingSettings.DefaultBuildSchedule, services.GetRequiredService<IOptions<FinsamOptions>>().Value.Publishing.BuildSchedule);
    }

    [Fact]
    public void With_no_setting_the_local_folder_finsam_data_is_used()
    {
        var connection = StorageConnection.Read(TestConfiguration.From());

        Assert.Equal((true, "./finsam-data"), (connection.IsLocal, connection.LocalFolder));
    }

    [Fact]
    public void One_connection_name_takes_a_connection_string_or_an_identity()
    {
        var viaString = StorageConnection.Read(TestConfiguration.From(new Dictionary<string, string> { ["FinsamStorage"] = "UseDevelopmentStorage=true" }));
        var viaIdentity = StorageConnection.Read(TestConfiguration.From(new Dictionary<string, string>
        {
            ["FinsamStorage:blobServiceUri"] = "https://finsamdata.blob.core.windows.net",
            ["FinsamStorage:queueServiceUri"] = "https://finsamdata.queue.core.windows.net",
            ["FinsamStorage:credential"] = "managedidentity",
            ["FinsamStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }));

        Assert.Equal(("UseDevelopmentStorage=true", (Uri?)null), (viaString.ConnectionString, viaString.BlobServiceUri));
        Assert.Equal(((string?)null, new Uri("https://finsamdata.blob.core.windows.net")), (viaIdentity.ConnectionString, viaIdentity.BlobServiceUri));
        using var services = Services(new() { ["FinsamStorage:blobServiceUri"] = "https://finsamdata.blob.core.windows.net", ["FinsamStorage:credential"] = "managedidentity" });
        Assert.Equal("Azure storage account finsamdata (https://finsamdata.blob.core.windows.net)", services.GetRequiredService<IBlobStore>().Description);
    }

    [Fact]
    public void Wrong_settings_are_named_with_their_value_and_what_is_expected()
    {
        using var services = Services(new()
        {
            ["FinsamStorage:blobServiceUri"] = "finsamdata",
            ["Finsam:Models:Threads"] = "0",
            ["Finsam:Publishing:KeepDays"] = "-1",
            ["Finsam:Publishing:DeliveryDueDay"] = "29",
            ["Finsam:Publishing:ParticipantYears"] = "1",
            ["Finsam:Privacy:OriginalsYears"] = "101",
            ["Finsam:Limits:MaxFieldLength"] = "200000",
            ["Finsam:LocalHost:MaxAttempts"] = "0",
            ["Finsam:Privacy:PseudonymKey"] = Convert.ToBase64String(new byte[16]),
        });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FinsamOptions>>().Value);

        Assert.Equal([
            "FinsamStorage__blobServiceUri ('finsamdata') is not a valid absolute URL; expected https://ACCOUNT.blob.core.windows.net.",
            "Finsam__Models__Threads ('0') must be at least 1 (or empty: one per core).",
            "Finsam__Publishing__KeepDays ('-1') must be at least 0 (or empty: keep all).",
            "Finsam__Publishing__DeliveryDueDay ('29') must be a day of the month from 1 to 28.",
            "Finsam__Publishing__ParticipantYears ('1') must be YearToDate (every year's participant counts, the running year to date included) or CompleteYears (a year's participant counts once the year is complete).",
            "Finsam__Privacy__OriginalsYears ('101') must be from 0 to 100 years (100 keeps the originals).",
            "Finsam__Privacy__PseudonymKey is not usable: The pseudonymisation key is 16 bytes; at least 32 are required. Set Finsam__Privacy__PseudonymKey (or FINSAM_PSEUDONYM_KEY) to a random key of at least 32 bytes, base64-encoded (for example: openssl rand -base64 32). Keep it secret and stable: changing it changes every pseudonym.",
            "Finsam__Limits__MaxFieldLength ('200000') must be between 64 and Finsam__Limits__MaxLineLength (100000).",
            "Finsam__LocalHost__MaxAttempts ('0') must be at least 1.",
        ], e.Failures);
    }

    [Fact]
    public void A_connection_string_that_cannot_be_used_is_named_without_repeating_it()
    {
        using var services = Services(new() { ["FinsamStorage"] = "AccountKey=c2VjcmV0;no account here" });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FinsamOptions>>().Value);

        Assert.StartsWith("FinsamStorage is not a usable storage connection string (", e.Failures.Single());
        Assert.DoesNotContain("c2VjcmV0", e.Failures.Single());
    }

    [Fact]
    public void Ingestion_without_a_key_is_refused_with_the_setting_to_set()
    {
        using var services = Services(new());

        var e = Assert.Throws<PseudonymKeyException>(() => services.GetRequiredService<Finsam.Pipeline.Ingestion.IngestionService>());

        Assert.StartsWith("No pseudonymisation key is configured. Participant files cannot be ingested without one. Set Finsam__Privacy__PseudonymKey (or FINSAM_PSEUDONYM_KEY)", e.Message);
    }

    [Fact]
    public void The_setting_names_cover_every_option_once()
    {
        Assert.Equal(FinsamSettings.Names.Count, FinsamSettings.Names.Distinct().Count());
        Assert.Contains("Finsam__Privacy__PseudonymKey", FinsamSettings.Names);
        Assert.Contains("Finsam__Limits__MaxFileBytes", FinsamSettings.Names);
        Assert.Contains("FinsamStorage__clientId", FinsamSettings.Names);
        Assert.Contains("BUILD_SCHEDULE", FinsamSettings.Names);
        Assert.Contains("RELEASE_SCHEDULE", FinsamSettings.Names);
        // The schedules are read from their top-level names only, the names the Functions timers share.
        Assert.DoesNotContain("Finsam__Publishing__BuildSchedule", FinsamSettings.Names);
        Assert.DoesNotContain("Finsam__Publishing__ReleaseSchedule", FinsamSettings.Names);
        var groups = typeof(FinsamOptions).GetProperties();
        // Every setting a binder can set, less the two schedules; a derived property (Limits.Text) is no setting.
        Assert.Equal(groups.Sum(g => g.PropertyType.GetProperties().Count(p => p.CanWrite)) - 2, FinsamSettings.Names.Count(n => n.StartsWith("Finsam__")));
        Assert.DoesNotContain("Finsam__Limits__Text", FinsamSettings.Names);
    }
}
