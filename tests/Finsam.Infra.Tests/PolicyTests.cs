using System.Text.Json.Nodes;
using Finsam.Infra.Tests.Arm;
using Finsam.Infra.Tests.Policy;
using Finsam.Infra.Tests.Support;
using static Finsam.Infra.Tests.Support.CompiledInfra;

namespace Finsam.Infra.Tests;

/// <summary>The policy over the compiled template: the real one passes, and each rule reports a copy broken on purpose.</summary>
[Collection(InfraCollection.Name)]
public sealed class PolicyTests(CompiledInfra infra)
{
    private const string FederationRole = "Finsam federation uploader (rg-finsam-policy, 00000000-0000-0000-0000-00000000aaaa)";

    [Fact]
    public void The_template_keeps_every_rule()
    {
        Assert.Empty(Check(infra.Template()));
    }

    [Fact]
    public void The_policy_sees_every_module_and_every_federation_of_the_loop()
    {
        var assignments = Deploy(infra.Template()).Where(r => r.Is(InfraPolicy.RoleAssignmentType)).Select(r => r.Path);

        Assert.Equal(
            [
                "main/roles/appBlobOwner", "main/roles/appQueueContributor", "main/roles/appSecretsUser", "main/roles/appMetricsPublisher",
                "main/roles/federationLanding[0]", "main/roles/federationLanding[1]", "main/roles/federationLanding[2]",
                "main/roles/membersKpiReader", "main/roles/controllerReader", "main/roles/controllerReference",
                "main/roles/eventGridDeadLetters", "main/roles/deployerKeyCreator",
            ],
            assignments);
    }

    [Fact]
    public void The_template_keeps_every_rule_with_no_federation_member_or_controller()
    {
        var none = new InfraInputs([], MembersGroupId: "", ControllerGroupId: "", DeployerId: "");

        Assert.Empty(Check(infra.Template(), none));
    }

    [Fact]
    public void A_federation_whose_assignment_lost_its_condition_is_reported_and_only_that_one()
    {
        var template = infra.Template();
        var assignment = FederationAssignment(template);
        var condition = assignment["condition"]!.GetValue<string>();
        assignment["condition"] = $"[if(equals(variables('uploaders')[copyIndex()], '{InfraInputs.Sample.Federations[1].PrincipalId}'), '', {condition[1..^1]})]";

        Assert.Equal(
            [$"federation bjorkvik: {FederationRole} without a condition (main/roles/federationLanding[1])"],
            Check(template));
    }

    [Fact]
    public void A_prefix_without_its_slash_is_reported()
    {
        var template = infra.Template();
        // The writes' prefix loses its slash (the first of the three prefix lists).
        ReplaceInCondition(template, "StringStartsWith ''{1}/''", "StringStartsWith ''{1}''");

        var violations = Check(template);

        Assert.Equal(
            [
                "federation aspdalen: the condition names prefix 'aspdalen' instead of exactly 'aspdalen/' (main/roles/federationLanding[0])",
                "federation bjorkvik: the condition names prefix 'bjorkvik' instead of exactly 'bjorkvik/' (main/roles/federationLanding[1])",
                "federation norra-ekstrand: the condition names prefix 'norra-ekstrand' instead of exactly 'norra-ekstrand/' (main/roles/federationLanding[2])",
            ],
            violations.Where(v => v.Contains("the condition names prefix", StringComparison.Ordinal)));
        Assert.Contains(violations, v => v.StartsWith("federation aspdalen: an expression does not name 'aspdalen/', so that federation cannot use it: ((!(ActionMatches", StringComparison.Ordinal));
        Assert.True(violations.Count == 6, string.Join("\n", violations));
    }

    [Fact]
    public void Another_federations_prefix_is_reported()
    {
        var template = infra.Template();
        // Every federation's writes get the first federation's prefix.
        var assignment = FederationAssignment(template);
        var condition = assignment["condition"]!.GetValue<string>();
        assignment["condition"] = condition.Replace("lambdaVariables('f').id", "parameters('federations')[0].id", StringComparison.Ordinal);

        var violations = Check(template);

        Assert.Equal(
            [
                "federation bjorkvik: the condition names prefix 'aspdalen/' instead of exactly 'bjorkvik/' (main/roles/federationLanding[1])",
                "federation norra-ekstrand: the condition names prefix 'aspdalen/' instead of exactly 'norra-ekstrand/' (main/roles/federationLanding[2])",
            ],
            violations.Where(v => v.Contains("the condition names prefix", StringComparison.Ordinal)));
        // And each of the three expressions (write, read, list) misses the federation's own prefix.
        Assert.Equal(3, violations.Count(v => v.StartsWith("federation bjorkvik: an expression does not name 'bjorkvik/'", StringComparison.Ordinal)));
        Assert.True(violations.Count == 8, string.Join("\n", violations));
    }

    [Fact]
    public void One_group_that_uploads_for_two_federations_gets_one_assignment_that_names_both()
    {
        var shared = "11111111-0000-0000-0000-0000000000AB";
        var inputs = InfraInputs.Sample with
        {
            Federations = [new("aspdalen", shared), new("bjorkvik", "11111111-0000-0000-0000-000000000002"), new("norra-ekstrand", shared.ToLowerInvariant())],
        };

        var assignments = Deploy(infra.Template(), inputs).Where(r => r.Is(InfraPolicy.RoleAssignmentType) && r.Path.Contains("federationLanding", StringComparison.Ordinal)).ToList();

        Assert.Empty(Check(infra.Template(), inputs));
        Assert.Equal(["main/roles/federationLanding[0]", "main/roles/federationLanding[1]"], assignments.Select(a => a.Path));
        var condition = RoleCondition.Parse(assignments[0].GetString("properties", "condition")!);
        Assert.All(condition.Expressions, e => Assert.Equal(["aspdalen/", "norra-ekstrand/"], e.Prefixes));
        Assert.Equal("Uploads for aspdalen, norra-ekstrand: writes under landing/{id}/, reads landing/{id}/ and quarantine/{id}/ only.",
            assignments[0].GetString("properties", "description"));
        // Named by the principal alone, as before this change for a group of one federation: a deployment over an
        // earlier one updates its assignments instead of adding a second beside each.
        Assert.Equal(Deploy(infra.Template()).Single(r => r.Path == "main/roles/federationLanding[1]").Name, assignments[1].Name);
    }

    [Fact]
    public void The_same_role_twice_for_one_principal_at_one_scope_is_reported()
    {
        var template = infra.Template();
        var resources = Module(template, "roles")["resources"]!.AsObject();
        var copy = resources["membersKpiReader"]!.DeepClone().AsObject();
        copy["name"] = "[guid('another name')]";
        resources["membersKpiReaderAgain"] = copy;

        Assert.Equal(
            ["main/roles/membersKpiReader, main/roles/membersKpiReaderAgain: one principal with the same role at the same scope twice (Azure refuses the second)"],
            Check(template));
    }

    [Fact]
    public void Writes_outside_landing_are_reported()
    {
        var template = infra.Template();
        ReplaceInCondition(template, "{1} StringEquals ''landing'' AND ({2})", "{1} StringEquals ''curated'' AND ({2})");

        var violations = Check(template);

        Assert.True(violations.Count == 6, string.Join("\n", violations));
        Assert.Contains($"federation aspdalen: writes are limited to container(s) ['curated'], not exactly 'landing' (main/roles/federationLanding[0])", violations);
        Assert.Contains($"federation aspdalen: the condition names container 'curated' (main/roles/federationLanding[0])", violations);
    }

    [Fact]
    public void A_condition_that_leaves_appends_open_is_reported()
    {
        var template = infra.Template();
        var variables = Module(template, "roles")["variables"]!.AsObject();
        variables["notWriting"] = variables["notWriting"]!.GetValue<string>()
            .Replace(" AND !(ActionMatches{{''{1}/add/action''}})", "", StringComparison.Ordinal);

        var violations = Check(template);

        Assert.Contains("federation aspdalen: the condition does not limit blobs/add/action (main/roles/federationLanding[0])", violations);
        Assert.Contains("federation aspdalen: blobs/write and blobs/add/action are not limited together (main/roles/federationLanding[0])", violations);
        Assert.Contains("controller: the condition does not limit blobs/add/action (main/roles/controllerReference)", violations);
        Assert.True(violations.Count == 7, string.Join("\n", violations));
    }

    [Fact]
    public void An_unconditional_role_for_the_members_is_reported()
    {
        var template = infra.Template();
        var properties = Resource(Module(template, "roles"), "membersKpiReader")["properties"]!.AsObject();
        properties.Remove("condition");
        properties.Remove("conditionVersion");

        Assert.Equal(
            [
                "members: Storage Blob Data Reader without condition version 2.0 (main/roles/membersKpiReader)",
                "members: Storage Blob Data Reader without a condition (main/roles/membersKpiReader)",
            ],
            Check(template));
    }

    [Fact]
    public void An_unconditional_role_for_a_federation_at_another_scope_is_reported()
    {
        var template = infra.Template();
        var roles = Module(template, "roles");
        roles["resources"]!.AsObject()["extraForTheTest"] = JsonNode.Parse("""
            {
              "type": "Microsoft.Authorization/roleAssignments",
              "apiVersion": "2022-04-01",
              "name": "[guid(resourceGroup().id, parameters('federations')[0].principalId)]",
              "properties": {
                "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('builtInRoles').storageBlobDataContributor)]",
                "principalId": "[parameters('federations')[0].principalId]"
              }
            }
            """);

        Assert.Equal(
            [
                "federation aspdalen: Storage Blob Data Contributor without condition version 2.0 (main/roles/extraForTheTest)",
                "federation aspdalen: Storage Blob Data Contributor without a condition (main/roles/extraForTheTest)",
            ],
            Check(template));
    }

    [Fact]
    public void A_role_that_is_not_named_is_reported()
    {
        var template = infra.Template();
        // Owner instead of Storage Blob Data Owner.
        Resource(Module(template, "roles"), "appBlobOwner")["properties"]!["roleDefinitionId"] =
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-4c83-a543-4d2df1f2ddb5')]";

        Assert.Equal(
            [$"main/roles/appBlobOwner: role {InfraPolicy.RoleDefinitionId("8e3af657-a8ff-4c83-a543-4d2df1f2ddb5")} is not one of the named roles"],
            Check(template));
    }

    [Fact]
    public void A_custom_role_with_control_actions_is_reported()
    {
        var template = infra.Template();
        var permissions = Resource(Module(template, "roles"), "federationUploader")["properties"]!["permissions"]![0]!;
        permissions["actions"] = new JsonArray("Microsoft.Storage/storageAccounts/blobServices/containers/delete");

        Assert.Equal(
            [$"custom role {FederationRole}: control-plane action Microsoft.Storage/storageAccounts/blobServices/containers/delete (no condition can limit it)"],
            Check(template));
    }

    [Fact]
    public void Storage_rules_are_checked()
    {
        var template = infra.Template();
        var storage = Module(template, "storage");
        var account = Resource(storage, "storage")["properties"]!;
        account["allowSharedKeyAccess"] = true;
        account["allowBlobPublicAccess"] = true;
        account["minimumTlsVersion"] = "TLS1_0";
        var rules = Resource(storage, "lifecycle")["properties"]!["policy"]!["rules"]!.AsArray();
        rules.Single(r => (string)r!["name"]! == "expire-old-versions")!["definition"]!["filters"]!["prefixMatch"] = new JsonArray("curated/", "published/");

        Assert.Equal(
            [
                "main/storage/storage: properties.allowSharedKeyAccess is true, not false",
                "main/storage/storage: properties.allowBlobPublicAccess is true, not false",
                "main/storage/storage: properties.minimumTlsVersion is \"TLS1_0\", not \"TLS1_2\"",
                "storage: lifecycle rule 'expire-old-versions' deletes under published/ (prefix 'published/')",
            ],
            Check(template));
    }

    [Fact]
    public void Personal_originals_must_expire_by_their_tag_and_nothing_else_in_raw_may()
    {
        var template = infra.Template();
        var rules = Resource(Module(template, "storage"), "lifecycle")["properties"]!["policy"]!["rules"]!.AsArray();
        var personal = rules.Single(r => (string)r!["name"]! == "expire-personal-originals")!;
        personal["definition"]!["filters"]!.AsObject().Remove("blobIndexMatch");

        Assert.Equal(
            [
                "storage: no lifecycle rule deletes the originals tagged finsam-personal=yes under raw/ and quarantine/",
                "storage: lifecycle rule 'expire-personal-originals' deletes originals in raw/ that are not tagged finsam-personal=yes (ledgers are kept)",
            ],
            Check(template));
    }

    [Theory]
    [InlineData(null, 761L)]
    [InlineData(3L, 1491L)]
    public void The_personal_originals_rule_deletes_a_year_and_a_month_after_the_years_the_controller_chose(long? years, long days)
    {
        var parameters = InfraInputs.Sample.Parameters();
        if (years is not null) parameters["originalsYears"] = years;

        var rule = ArmDeployment.Expand(infra.Template(), parameters)
            .Where(r => r.Is("Microsoft.Storage/storageAccounts/managementPolicies"))
            .SelectMany(p => p.Get("properties", "policy", "rules") as List<object?> ?? [])
            .OfType<Dictionary<string, object?>>()
            .Single(r => (string?)r["name"] == "expire-personal-originals");

        var delete = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)rule["definition"]!)["actions"]!)["baseBlob"]!;
        Assert.Equal(days, ((Dictionary<string, object?>)delete["delete"]!)["daysAfterCreationGreaterThan"]);
    }

    [Fact]
    public void A_region_outside_Sweden_and_the_EU_an_unlocked_account_a_low_instance_maximum_and_an_uncapped_workspace_are_reported()
    {
        var template = infra.Template();
        var location = template["parameters"]!["location"]!;
        location["allowedValues"]!.AsArray().Add("eastus");
        location["defaultValue"] = "northeurope";
        Module(template, "storage")["resources"]!.AsObject().Remove("keepOriginals");
        var scale = Resource(Module(template, "app"), "sites")["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        scale["maximumInstanceCount"] = JsonNode.Parse("10");
        Resource(Module(template, "monitoring"), "workspaces")["properties"]!.AsObject().Remove("workspaceCapping");

        Assert.Equal(
            [
                "location: eastus is allowed, outside Sweden and the EU regions named",
                "location: the default is not swedencentral",
                "main/storage/storage: no CanNotDelete lock, so azd down deletes every original in raw/",
                "main/monitoring/workspaces: no daily cap on what Log Analytics ingests",
                "main/app/sites: maximumInstanceCount is below 40, the lowest maximum Flex Consumption takes",
            ],
            Check(template));
    }

    [Fact]
    public void A_missing_audit_log_an_alert_rule_left_out_and_a_rule_that_tells_nobody_are_reported()
    {
        var template = infra.Template();
        var diagnostics = Module(template, "diagnostics")["resources"]!.AsArray();
        diagnostics.Remove(diagnostics.Single(d => d!["name"]!.GetValue<string>() == "app-logs"));
        diagnostics.Single(d => d!["name"]!.GetValue<string>() == "key-audit")!["properties"]!["logs"]![0]!["enabled"] = false;
        var alerts = Module(template, "alerts");
        var rules = alerts["variables"]!["logRules"]!.AsArray();
        rules.Remove(rules.Single(r => r!["name"]!.GetValue<string>() == "release-refused"));
        Resource(alerts, "metricAlerts")["properties"]!.AsObject().Remove("actions");

        Assert.Equal(
            [
                "logs: no diagnostic setting sends AuditEvent of Microsoft.KeyVault/vaults to Log Analytics",
                "logs: no diagnostic setting sends FunctionAppLogs of Microsoft.Web/sites to Log Analytics",
                "alerts: no rule finsam-release-refused",
                "alerts: no rule on Event Grid's dead-lettered events",
            ],
            Check(template));
    }

    [Fact]
    public void Without_an_alert_email_the_logs_are_still_kept_and_no_alert_is_made()
    {
        var inputs = InfraInputs.Sample with { AlertEmail = "" };

        Assert.Empty(Check(infra.Template(), inputs));
        Assert.DoesNotContain(Deploy(infra.Template(), inputs), r => r.Is("Microsoft.Insights/scheduledQueryRules") || r.Is("Microsoft.Insights/actionGroups"));
        Assert.Equal(4, Deploy(infra.Template(), inputs).Count(r => r.Is("Microsoft.Insights/diagnosticSettings")));
    }

    [Fact]
    public void The_runtime_must_be_dotnet_isolated_10_0()
    {
        var template = infra.Template();
        Resource(Module(template, "app"), "sites")["properties"]!["functionAppConfig"]!["runtime"]!["version"] = "10";

        Assert.Equal(["main/app/sites: properties.functionAppConfig.runtime.version is \"10\", not \"10.0\""], Check(template));
    }

    [Fact]
    public void App_settings_the_app_does_not_read_or_that_hold_a_connection_string_are_reported()
    {
        var template = infra.Template();
        var settings = Resource(Module(template, "app"), "config")["properties"]!.AsObject();
        settings["Finsam__Privacy__PseudonymKeyFile"] = "/tmp/key";
        settings["FinsamStorage"] = "[format('DefaultEndpointsProtocol=https;AccountName={0}', parameters('storageAccountName'))]";
        settings.Remove("BUILD_SCHEDULE");

        Assert.Equal(
            [
                "template: contains 'DefaultEndpointsProtocol=' (a key or connection string)",
                "app setting Finsam__Privacy__PseudonymKeyFile: the app does not read it (FinsamSettings.Names) and it is no platform setting",
                "app setting BUILD_SCHEDULE: missing",
                "app setting FinsamStorage: holds a key or connection string",
                "app setting FinsamStorage: a connection string (use FinsamStorage__blobServiceUri and the identity)",
            ],
            Check(template));
    }

    [Fact]
    public void An_account_key_anywhere_in_the_template_is_reported()
    {
        var template = infra.Template();
        Resource(Module(template, "app"), "config")["properties"]!["AzureWebJobsStorage__credential"] =
            "[listKeys(resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName')), '2023-05-01').keys[0].value]";

        Assert.Equal(
            [
                "template: contains 'listKeys(' (a key or connection string)",
                "app setting AzureWebJobsStorage__credential: is '⟨?⟩', not managedidentity",
            ],
            Check(template));
    }

    [Fact]
    public void A_federation_id_that_could_change_its_condition_stops_the_deployment()
    {
        var inputs = InfraInputs.Sample with { Federations = [new("aspdalen' OR 'a' StringEquals 'a", "11111111-0000-0000-0000-000000000009")] };

        Assert.Equal(
            [
                "main/roles/federationLanding[0]: the deployment would fail: Federation ids are lowercase letters, digits and hyphens, as federation_id in reference/federations.csv.",
                "federation aspdalen' OR 'a' StringEquals 'a: no role assignment, so its staff cannot upload",
            ],
            Check(infra.Template(), inputs));
    }

    private static JsonObject FederationAssignment(JsonObject template) =>
        Resource(Module(template, "roles"), "federationLanding")["properties"]!.AsObject();

    /// <summary>Replaces the first occurrence of a piece of the federation condition's format string.</summary>
    private static void ReplaceInCondition(JsonObject template, string from, string to)
    {
        var assignment = FederationAssignment(template);
        var condition = assignment["condition"]!.GetValue<string>();
        var at = condition.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in the condition expression");
        assignment["condition"] = condition[..at] + to + condition[(at + from.Length)..];
    }
}
