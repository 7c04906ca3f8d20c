using Finsam.Infra.Tests.Policy;
using Finsam.Infra.Tests.Support;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Storage;
using static Finsam.Infra.Tests.Support.CompiledInfra;

namespace Finsam.Infra.Tests;

/// <summary>The app settings and containers Bicep declares against the names the app reads (FinsamSettings, Containers).</summary>
[Collection(InfraCollection.Name)]
public sealed class AppSettingsTests(CompiledInfra infra)
{
    [Fact]
    public void Bicep_sets_exactly_the_required_app_settings_and_the_platform_settings()
    {
        var names = Settings().Keys.Order(StringComparer.Ordinal);

        Assert.Equal(InfraPolicy.RequiredAppSettings.Concat(InfraPolicy.PlatformSettings).Order(StringComparer.Ordinal), names);
        Assert.All(InfraPolicy.RequiredAppSettings, name => Assert.Contains(name, FinsamSettings.Names));
    }

    [Fact]
    public void The_storage_connection_is_by_identity_and_the_key_a_Key_Vault_reference()
    {
        var settings = Settings();

        Assert.Equal("managedidentity", settings["FinsamStorage__credential"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("@Microsoft.KeyVault(VaultName=⟨?⟩;SecretName=pseudonym-key)", settings["Finsam__Privacy__PseudonymKey"]);
        Assert.Equal("ClientId=⟨?⟩;Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal(PublishingSettings.DefaultBuildSchedule, settings["BUILD_SCHEDULE"]);
        Assert.Equal(PublishingSettings.DefaultReleaseSchedule, settings["RELEASE_SCHEDULE"]);
        Assert.Equal("1", settings[FinsamSettings.EnvironmentName(o => o.Privacy.OriginalsYears)]);
        Assert.Equal("10", settings[FinsamSettings.EnvironmentName(o => o.Publishing.DeliveryDueDay)]);
    }

    [Fact]
    public void The_containers_are_the_pipelines_and_the_deployment_package_and_dead_letter_ones()
    {
        var containers = Deploy(infra.Template())
            .Where(r => r.Is("Microsoft.Storage/storageAccounts/blobServices/containers"))
            .Select(r => r.Name!.Split('/')[^1]);

        Assert.Equal([.. Containers.All, "app-package", "eventgrid-deadletter"], containers);
    }

    [Fact]
    public void The_parameters_file_sets_only_parameters_that_main_declares()
    {
        var declared = infra.Template()["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        var parametersFile = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Tools.InfraFolder, "main.parameters.json")))!;
        var supplied = parametersFile["parameters"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Equal(["environmentName", "location", "principalId", "principalType", "membersGroupId", "controllerGroupId", "alertEmail", "originalsYears", "deliveryDueDay", "federations"], supplied);
        Assert.All(supplied, name => Assert.Contains(name, declared));
        // The controller edits the numbers in the file; a number typed as text would fail the deployment.
        var parameters = infra.Template()["parameters"]!;
        Assert.Equal(1, (int)parametersFile["parameters"]!["originalsYears"]!["value"]!);
        Assert.Equal(10, (int)parametersFile["parameters"]!["deliveryDueDay"]!["value"]!);
        Assert.Equal("int", (string)parameters["originalsYears"]!["type"]!);
        Assert.Equal("int", (string)parameters["deliveryDueDay"]!["type"]!);
    }

    private Dictionary<string, object?> Settings() =>
        (Dictionary<string, object?>)Deploy(infra.Template())
            .Single(r => r.Is("Microsoft.Web/sites/config"))
            .Get("properties")!;
}
