using Finsam.Infra.Tests.Arm;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Storage;

namespace Finsam.Infra.Tests.Policy;

/// <summary>A federation as the deployment's parameter names it.</summary>
public sealed record Federation(string Id, string PrincipalId);

/// <summary>The principals a policy run deploys with (made-up object ids) and what it expects of them.</summary>
public sealed record InfraInputs(IReadOnlyList<Federation> Federations, string MembersGroupId, string ControllerGroupId, string DeployerId,
    string AlertEmail = "kontroll@example.se")
{
    public static InfraInputs Sample { get; } = new(
        [
            new("aspdalen", "11111111-0000-0000-0000-000000000001"),
            new("bjorkvik", "11111111-0000-0000-0000-000000000002"),
            new("norra-ekstrand", "11111111-0000-0000-0000-000000000003"),
        ],
        MembersGroupId: "22222222-0000-0000-0000-000000000001",
        ControllerGroupId: "33333333-0000-0000-0000-000000000001",
        DeployerId: "44444444-0000-0000-0000-000000000001");

    /// <summary>The parameters of infra/main.bicep for these principals.</summary>
    public Dictionary<string, object?> Parameters() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["environmentName"] = "policy",
        ["location"] = "swedencentral",
        ["principalId"] = DeployerId,
        ["federations"] = Federations.Select(f => (object?)new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = f.Id,
            ["principalId"] = f.PrincipalId,
        }).ToList(),
        ["membersGroupId"] = MembersGroupId,
        ["controllerGroupId"] = ControllerGroupId,
        ["alertEmail"] = AlertEmail,
    };
}

/// <summary>
/// The rules infra/ must keep (issue: infra/ in Bicep, policy-checked), over a deployment expanded from the compiled
/// template. Each broken rule is one line naming what and where; an empty list means the template passes.
/// </summary>
public static class InfraPolicy
{
    public const string StorageAccountType = "Microsoft.Storage/storageAccounts";
    public const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    public const string RoleDefinitionType = "Microsoft.Authorization/roleDefinitions";
    public const string PseudonymKeySecret = "pseudonym-key";

    /// <summary>Settings of the Functions platform, not of the app: the second, explicit list beside FinsamSettings.Names.</summary>
    public static IReadOnlyList<string> PlatformSettings { get; } =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>The app setting of the pseudonym key, a Key Vault reference on Azure.</summary>
    public static string PseudonymKeySetting { get; } =
        $"{FinsamOptions.SectionName}__{nameof(FinsamOptions.Privacy)}__{nameof(PrivacySettings.PseudonymKey)}";

    /// <summary>
    /// Settings Azure must have: every name the app reads outside its Finsam section (the storage connection's parts
    /// by identity, the schedules the timers share — a new one there is required here at once), and the key. The bare
    /// connection name would be a connection string; the other Finsam__ options have defaults.
    /// </summary>
    public static IReadOnlyList<string> RequiredAppSettings { get; } =
    [
        .. FinsamSettings.Names.Where(n => n != FinsamSettings.StorageConnection
                                           && !n.StartsWith(FinsamOptions.SectionName + "__", StringComparison.Ordinal)),
        PseudonymKeySetting,
        // The controller's decisions, parameters of main.bicep (infra/main.parameters.json).
        FinsamSettings.EnvironmentName(o => o.Privacy.OriginalsYears),
        FinsamSettings.EnvironmentName(o => o.Publishing.DeliveryDueDay),
    ];

    /// <summary>Text that only a key, a SAS or a connection string of a storage account or service bus would hold.</summary>
    private static readonly string[] SecretMarkers =
        ["listKeys(", "listAccountSas(", "listServiceSas(", "AccountKey=", "SharedAccessKey", "SharedAccessSignature=", "DefaultEndpointsProtocol="];

    public static IReadOnlyList<string> Check(string compiledTemplateJson, IReadOnlyList<DeployedResource> deployed, InfraInputs inputs)
    {
        var violations = new List<string>();
        violations.AddRange(deployed.Where(r => r.Error is not null).Select(r => $"{r.Path}: the deployment would fail: {r.Error}"));
        violations.AddRange(SecretMarkers.Where(m => compiledTemplateJson.Contains(m, StringComparison.OrdinalIgnoreCase))
            .Select(m => $"template: contains '{m}' (a key or connection string)"));
        var ok = deployed.Where(r => r.Error is null).ToList();
        CheckLocation(compiledTemplateJson, violations);
        CheckStorage(ok, violations);
        CheckMonitoringAndVault(ok, violations);
        CheckLogsAndAlerts(ok, inputs, violations);
        CheckApp(ok, violations);
        CheckRoles(ok, inputs, violations);
        return violations;
    }

    /// <summary>Regions where participant data may be kept: Sweden, or on the controller's decision the EU.</summary>
    public static IReadOnlyList<string> AllowedLocations { get; } = ["swedencentral", "northeurope", "westeurope"];

    private static void CheckLocation(string compiledTemplateJson, List<string> violations)
    {
        var location = System.Text.Json.Nodes.JsonNode.Parse(compiledTemplateJson)?["parameters"]?["location"];
        var allowed = location?["allowedValues"]?.AsArray().Select(v => v?.GetValue<string>() ?? "").ToList();
        if (allowed is null)
            violations.Add("location: any region is allowed");
        else
            foreach (var region in allowed.Where(r => !AllowedLocations.Contains(r)))
                violations.Add($"location: {region} is allowed, outside Sweden and the EU regions named");
        if (location?["defaultValue"]?.GetValue<string>() is not "swedencentral")
            violations.Add("location: the default is not swedencentral");
    }

    private static void CheckStorage(List<DeployedResource> deployed, List<string> violations)
    {
        var accounts = deployed.Where(r => r.Is(StorageAccountType)).ToList();
        if (accounts.Count != 1)
            violations.Add($"storage: expected one storage account, found {accounts.Count}");
        foreach (var account in accounts)
        {
            Expect(account, false, "properties", "allowSharedKeyAccess");
            Expect(account, false, "properties", "allowBlobPublicAccess");
            Expect(account, "TLS1_2", "properties", "minimumTlsVersion");
            Expect(account, true, "properties", "supportsHttpsTrafficOnly");
            var locked = deployed.Any(l => l.Is("Microsoft.Authorization/locks") && l.GetString("properties", "level") == "CanNotDelete"
                                           && (l.GetString("scope") ?? "").EndsWith($"{StorageAccountType}/{account.Name}", StringComparison.OrdinalIgnoreCase));
            if (!locked)
                violations.Add($"{account.Path}: no CanNotDelete lock, so azd down deletes every original in raw/");
        }

        var containers = deployed.Where(r => r.Is("Microsoft.Storage/storageAccounts/blobServices/containers")).ToList();
        var containerNames = containers.Select(c => c.Name?.Split('/')[^1]).ToHashSet();
        foreach (var missing in Containers.All.Where(c => !containerNames.Contains(c)))
            violations.Add($"storage: container '{missing}' is missing");
        foreach (var container in containers)
            Expect(container, "None", "properties", "publicAccess");

        foreach (var blobService in deployed.Where(r => r.Is("Microsoft.Storage/storageAccounts/blobServices")))
        {
            Expect(blobService, true, "properties", "isVersioningEnabled");
            Expect(blobService, true, "properties", "deleteRetentionPolicy", "enabled");
            Expect(blobService, true, "properties", "containerDeleteRetentionPolicy", "enabled");
        }

        var rules = deployed.Where(r => r.Is("Microsoft.Storage/storageAccounts/managementPolicies"))
            .SelectMany(p => p.Get("properties", "policy", "rules") as List<object?> ?? [])
            .OfType<Dictionary<string, object?>>()
            .Select(r => new DeployedResource("lifecycle/" + r.GetValueOrDefault("name"), "rule", r.GetValueOrDefault("name") as string, r, null))
            .ToList();
        if (!rules.Any(r => Prefixes(r).SequenceEqual(["raw/"])
                            && r.Get("definition", "actions", "baseBlob", "tierToCool", "daysAfterModificationGreaterThan") is 30L))
            violations.Add("storage: no lifecycle rule moves raw/ to cool after 30 days");
        var (tagName, tagValue) = OriginalsRetention.PersonalTag.Single();
        if (!rules.Any(r => Prefixes(r).Order(StringComparer.Ordinal).SequenceEqual(["quarantine/", "raw/"]) && DeletesBaseBlob(r) && SelectsTag(r, tagName, tagValue)))
            violations.Add($"storage: no lifecycle rule deletes the originals tagged {tagName}={tagValue} under raw/ and quarantine/");
        foreach (var rule in rules.Where(r => DeletesBaseBlob(r) && Prefixes(r).Contains("raw/") && !SelectsTag(r, tagName, tagValue)))
            violations.Add($"storage: lifecycle rule '{rule.Name}' deletes originals in raw/ that are not tagged {tagName}={tagValue} (ledgers are kept)");
        foreach (var rule in rules.Where(Deletes))
        {
            var prefixes = Prefixes(rule);
            if (prefixes.Count == 0)
                violations.Add($"storage: lifecycle rule '{rule.Name}' deletes without a prefix, so also under published/");
            foreach (var prefix in prefixes.Where(p => "published/".StartsWith(p, StringComparison.Ordinal) || p.StartsWith("published/", StringComparison.Ordinal)))
                violations.Add($"storage: lifecycle rule '{rule.Name}' deletes under published/ (prefix '{prefix}')");
        }

        void Expect(DeployedResource resource, object expected, params string[] path) => Expected(resource, expected, path, violations);
    }

    private static List<string> Prefixes(DeployedResource rule) =>
        (rule.Get("definition", "filters", "prefixMatch") as List<object?> ?? []).Select(p => ArmContext.ToText(p)).ToList();

    private static bool DeletesBaseBlob(DeployedResource rule) =>
        rule.Get("definition", "actions", "baseBlob") is Dictionary<string, object?> baseBlob && baseBlob.ContainsKey("delete");

    private static bool SelectsTag(DeployedResource rule, string name, string value) =>
        rule.Get("definition", "filters", "blobIndexMatch") is List<object?> { Count: 1 } matches
        && matches[0] is Dictionary<string, object?> match
        && ArmContext.ToText(match.GetValueOrDefault("name")) == name
        && ArmContext.ToText(match.GetValueOrDefault("op")) == "=="
        && ArmContext.ToText(match.GetValueOrDefault("value")) == value;

    private static bool Deletes(DeployedResource rule) =>
        rule.Get("definition", "actions") is Dictionary<string, object?> actions
        && actions.Values.OfType<Dictionary<string, object?>>().Any(a => a.ContainsKey("delete"));

    private static void CheckMonitoringAndVault(List<DeployedResource> deployed, List<string> violations)
    {
        foreach (var insights in deployed.Where(r => r.Is("Microsoft.Insights/components")))
            Expect(insights, true, "properties", "DisableLocalAuth");
        foreach (var workspace in deployed.Where(r => r.Is("Microsoft.OperationalInsights/workspaces")))
        {
            Expect(workspace, true, "properties", "features", "disableLocalAuth");
            if (workspace.Get("properties", "workspaceCapping", "dailyQuotaGb") is not (long and > 0))
                violations.Add($"{workspace.Path}: no daily cap on what Log Analytics ingests");
        }
        if (!deployed.Any(r => r.Is("Microsoft.Insights/components")))
            violations.Add("monitoring: no Application Insights");

        var vaults = deployed.Where(r => r.Is("Microsoft.KeyVault/vaults")).ToList();
        if (vaults.Count != 1)
            violations.Add($"vault: expected one Key Vault, found {vaults.Count}");
        foreach (var vault in vaults)
        {
            Expect(vault, true, "properties", "enableRbacAuthorization");
            Expect(vault, true, "properties", "enableSoftDelete");
            Expect(vault, true, "properties", "enablePurgeProtection");
        }
        foreach (var secret in deployed.Where(r => r.Is("Microsoft.KeyVault/vaults/secrets")))
            violations.Add($"{secret.Path}: a secret's value is in the template (the postprovision hook creates the key)");

        if (!deployed.Any(r => r.Is("Microsoft.EventGrid/systemTopics") && r.GetString("properties", "topicType") == "Microsoft.Storage.StorageAccounts"))
            violations.Add("events: no Event Grid system topic on the storage account");

        void Expect(DeployedResource resource, object expected, params string[] path) => Expected(resource, expected, path, violations);
    }

    /// <summary>The diagnostic settings every deployment has: (what their scope ends with, the log categories it sends).</summary>
    public static IReadOnlyList<(string Scope, string[] Categories)> AuditLogs { get; } =
    [
        ("/blobServices/default", ["StorageWrite", "StorageDelete"]),
        ("Microsoft.KeyVault/vaults/", ["AuditEvent"]),
        ("Microsoft.Web/sites/", ["FunctionAppLogs"]),
        ("Microsoft.EventGrid/systemTopics/", ["DeliveryFailures"]),
    ];

    /// <summary>The alert rules a deployment with an alert e-mail has, by name.</summary>
    public static IReadOnlyList<string> LogAlerts { get; } =
        ["finsam-ingestion-failed", "finsam-build-failed", "finsam-release-refused", "finsam-federation-late"];

    private static void CheckLogsAndAlerts(List<DeployedResource> deployed, InfraInputs inputs, List<string> violations)
    {
        var settings = deployed.Where(r => r.Is("Microsoft.Insights/diagnosticSettings")).ToList();
        foreach (var (scope, categories) in AuditLogs)
        {
            var setting = settings.FirstOrDefault(d => (d.GetString("scope") ?? "").Contains(scope, StringComparison.OrdinalIgnoreCase)
                                                        && !string.IsNullOrEmpty(d.GetString("properties", "workspaceId")));
            var sent = (setting?.Get("properties", "logs") as List<object?> ?? []).OfType<Dictionary<string, object?>>()
                .Where(l => l.GetValueOrDefault("enabled") is true).Select(l => l.GetValueOrDefault("category") as string).ToList();
            foreach (var missing in categories.Where(c => !sent.Contains(c)))
                violations.Add($"logs: no diagnostic setting sends {missing} of {scope.Trim('/')} to Log Analytics");
        }

        if (string.IsNullOrEmpty(inputs.AlertEmail)) return;
        var groups = deployed.Where(r => r.Is("Microsoft.Insights/actionGroups")).ToList();
        if (!groups.Any(g => (g.Get("properties", "emailReceivers") as List<object?> ?? []).OfType<Dictionary<string, object?>>()
                .Any(e => e.GetValueOrDefault("emailAddress") as string == inputs.AlertEmail)))
            violations.Add($"alerts: no action group mails {inputs.AlertEmail}");
        var rules = deployed.Where(r => r.Is("Microsoft.Insights/scheduledQueryRules")).ToDictionary(r => r.Name ?? r.Path);
        foreach (var name in LogAlerts)
        {
            if (!rules.TryGetValue(name, out var rule))
                violations.Add($"alerts: no rule {name}");
            else if (rule.Get("properties", "actions", "actionGroups") is not List<object?> { Count: > 0 })
                violations.Add($"alerts: {name} tells nobody (no action group)");
        }
        if (!deployed.Any(r => r.Is("Microsoft.Insights/metricAlerts")
                               && ArmContext.ToJson(r.Get("properties", "criteria")).Contains("\"DeadLetteredCount\"", StringComparison.Ordinal)
                               && r.Get("properties", "actions") is List<object?> { Count: > 0 }))
            violations.Add("alerts: no rule on Event Grid's dead-lettered events");
    }

    private static void CheckApp(List<DeployedResource> deployed, List<string> violations)
    {
        var plans = deployed.Where(r => r.Is("Microsoft.Web/serverfarms")).ToList();
        foreach (var plan in plans)
            Expect(plan, "FC1", "sku", "name");
        var apps = deployed.Where(r => r.Is("Microsoft.Web/sites")).ToList();
        if (apps.Count != 1)
            violations.Add($"app: expected one function app, found {apps.Count}");
        foreach (var app in apps)
        {
            Expect(app, "dotnet-isolated", "properties", "functionAppConfig", "runtime", "name");
            Expect(app, "10.0", "properties", "functionAppConfig", "runtime", "version");
            Expect(app, 2048L, "properties", "functionAppConfig", "scaleAndConcurrency", "instanceMemoryMB");
            if (app.Get("properties", "functionAppConfig", "scaleAndConcurrency", "maximumInstanceCount") is not (long and >= 40))
                violations.Add($"{app.Path}: maximumInstanceCount is below 40, the lowest maximum Flex Consumption takes");
            Expect(app, "UserAssignedIdentity", "properties", "functionAppConfig", "deployment", "storage", "authentication", "type");
            Expect(app, "UserAssigned", "identity", "type");
            if (app.Get("properties", "keyVaultReferenceIdentity") is null or "" or "SystemAssigned")
                violations.Add($"{app.Path}: Key Vault references are not resolved with the user-assigned identity");
        }

        var settingsResources = deployed.Where(r => r.Is("Microsoft.Web/sites/config") && (r.Name ?? "").EndsWith("/appsettings", StringComparison.OrdinalIgnoreCase)).ToList();
        if (settingsResources.Count != 1)
        {
            violations.Add($"app: expected one appsettings resource, found {settingsResources.Count}");
            return;
        }
        var settings = settingsResources[0].Get("properties") as Dictionary<string, object?> ?? [];
        foreach (var name in settings.Keys.Where(n => !FinsamSettings.Names.Contains(n, StringComparer.OrdinalIgnoreCase)
                                                      && !PlatformSettings.Contains(n, StringComparer.OrdinalIgnoreCase)))
            violations.Add($"app setting {name}: the app does not read it (FinsamSettings.Names) and it is no platform setting");
        foreach (var name in RequiredAppSettings.Concat(PlatformSettings).Where(n => !settings.ContainsKey(n)))
            violations.Add($"app setting {name}: missing");
        foreach (var (name, value) in settings)
        {
            var text = ArmContext.ToText(value);
            if (SecretMarkers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase)))
                violations.Add($"app setting {name}: holds a key or connection string");
            if (name.EndsWith("CONNECTION_STRING", StringComparison.OrdinalIgnoreCase) && name != "APPLICATIONINSIGHTS_CONNECTION_STRING")
                violations.Add($"app setting {name}: a connection string");
        }
        foreach (var connection in new[] { FinsamSettings.StorageConnection, "AzureWebJobsStorage" }.Where(settings.ContainsKey))
            violations.Add($"app setting {connection}: a connection string (use {connection}__blobServiceUri and the identity)");
        foreach (var name in new[] { $"{FinsamSettings.StorageConnection}__credential", "AzureWebJobsStorage__credential" })
            if (settings.TryGetValue(name, out var credential) && credential as string != "managedidentity")
                violations.Add($"app setting {name}: is '{ArmContext.ToText(credential)}', not managedidentity");
        if (settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"))
            violations.Add("app setting FUNCTIONS_WORKER_RUNTIME: Flex Consumption takes the runtime from functionAppConfig");
        var keySetting = PseudonymKeySetting;
        if (settings.TryGetValue(keySetting, out var key)
            && !(ArmContext.ToText(key).StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal)
                 && ArmContext.ToText(key).Contains($"SecretName={PseudonymKeySecret})", StringComparison.Ordinal)))
            violations.Add($"app setting {keySetting}: not a Key Vault reference to {PseudonymKeySecret}");

        void Expect(DeployedResource resource, object expected, params string[] path) => Expected(resource, expected, path, violations);
    }

    private static void CheckRoles(List<DeployedResource> deployed, InfraInputs inputs, List<string> violations)
    {
        var customRoles = deployed.Where(r => r.Is(RoleDefinitionType)).ToList();
        var named = RoleCatalog.BuiltIn.ToDictionary(r => RoleDefinitionId(r.Id), StringComparer.OrdinalIgnoreCase);
        foreach (var custom in customRoles)
        {
            var permissions = (custom.Get("properties", "permissions") as List<object?> ?? []).OfType<Dictionary<string, object?>>().ToList();
            var actions = permissions.SelectMany(p => p.GetValueOrDefault("actions") as List<object?> ?? []).Select(a => ArmContext.ToText(a)).ToList();
            var dataActions = permissions.SelectMany(p => p.GetValueOrDefault("dataActions") as List<object?> ?? []).Select(a => ArmContext.ToText(a)).ToList();
            var roleName = custom.GetString("properties", "roleName") ?? custom.Name ?? custom.Path;
            foreach (var action in actions)
                violations.Add($"custom role {roleName}: control-plane action {action} (no condition can limit it)");
            foreach (var action in dataActions.Where(a => !RoleCatalog.CustomRoleDataActions.Contains(a)))
                violations.Add($"custom role {roleName}: data action {action} is not among the allowed ones");
            if (custom.Get("properties", "assignableScopes") is not List<object?> { Count: 1 } scopes
                || !ArmContext.ToText(scopes[0]).Contains("/resourceGroups/", StringComparison.Ordinal))
                violations.Add($"custom role {roleName}: assignable beyond its resource group");
            named[RoleDefinitionId(custom.Name ?? "")] = new NamedRole(roleName, custom.Name ?? "", dataActions);
        }

        var assignments = deployed.Where(r => r.Is(RoleAssignmentType)).ToList();
        // A principal may upload for several federations: one assignment, one condition naming all their prefixes.
        var federations = inputs.Federations.GroupBy(f => f.PrincipalId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in assignments)
        {
            var roleId = assignment.GetString("properties", "roleDefinitionId") ?? "";
            // A principal the deployment creates (the app's identity, Event Grid's) is not known here: null.
            var principal = assignment.GetString("properties", "principalId");
            if (!named.TryGetValue(roleId, out var role))
            {
                violations.Add($"{assignment.Path}: role {roleId} is not one of the named roles");
                continue;
            }
            if (string.IsNullOrEmpty(principal))
                continue;
            if (role.DataActions.Contains(RoleCatalog.GetSecret)
                && (federations.ContainsKey(principal) || principal == inputs.MembersGroupId || principal == inputs.ControllerGroupId || principal == inputs.DeployerId))
                violations.Add($"{assignment.Path}: {role.Name} lets a person read the pseudonym key");

            string? who = federations.TryGetValue(principal, out var f) ? $"federation {string.Join(", ", f.Select(x => x.Id))}"
                : principal == inputs.MembersGroupId ? "members"
                : principal == inputs.ControllerGroupId ? "controller"
                : null;
            if (who is null || role.DataActions.Count == 0)
                continue;
            if (assignment.GetString("properties", "conditionVersion") != "2.0")
                violations.Add($"{who}: {role.Name} without condition version 2.0 ({assignment.Path})");
            var text = assignment.GetString("properties", "condition");
            if (string.IsNullOrWhiteSpace(text))
            {
                violations.Add($"{who}: {role.Name} without a condition ({assignment.Path})");
                continue;
            }
            var condition = RoleCondition.Parse(text);
            foreach (var action in DataActionsToLimit(role).Where(a => condition.For(a.Action, a.Listing) is null))
                violations.Add($"{who}: the condition does not limit {Describe(action)} ({assignment.Path})");

            if (f is not null)
                CheckFederation(f, condition, assignment, violations);
            else if (who == "members")
                CheckOnly(who, condition, ["published"], ["kpi/"], assignment, violations);
            else
                CheckController(condition, assignment, violations);
        }

        foreach (var federation in inputs.Federations.Where(fed => !assignments.Any(a =>
                     string.Equals(a.GetString("properties", "principalId"), fed.PrincipalId, StringComparison.OrdinalIgnoreCase))))
            violations.Add($"federation {federation.Id}: no role assignment, so its staff cannot upload");
        foreach (var twice in assignments.GroupBy(a => (Principal: a.GetString("properties", "principalId")?.ToLowerInvariant(),
                     Role: a.GetString("properties", "roleDefinitionId"), Scope: a.GetString("scope"))).Where(g => g.Key.Principal is not null && g.Count() > 1))
            violations.Add($"{string.Join(", ", twice.Select(a => a.Path))}: one principal with the same role at the same scope twice (Azure refuses the second)");
    }

    private static void CheckFederation(List<Federation> uploadsFor, RoleCondition condition, DeployedResource assignment, List<string> violations)
    {
        var who = $"federation {string.Join(", ", uploadsFor.Select(f => f.Id))}";
        var ownPrefixes = uploadsFor.Select(f => f.Id + "/").ToList();
        var write = condition.For($"{RoleCatalog.Blobs}/write");
        var add = condition.For($"{RoleCatalog.Blobs}/add/action");
        if (write is null || add is null || write != add)
            violations.Add($"{who}: blobs/write and blobs/add/action are not limited together ({assignment.Path})");
        foreach (var limit in new[] { write, add }.OfType<RoleCondition.Expression>().Distinct())
        {
            if (!limit.Containers.SequenceEqual(["landing"]))
                violations.Add($"{who}: writes are limited to container(s) {List(limit.Containers)}, not exactly 'landing' ({assignment.Path})");
            if (!limit.Prefixes.Any())
                violations.Add($"{who}: writes are not limited to a path prefix ({assignment.Path})");
        }
        var exactly = string.Join(", ", ownPrefixes.Select(p => $"'{p}'"));
        foreach (var prefix in condition.AllPrefixes.Where(p => !ownPrefixes.Contains(p)))
            violations.Add($"{who}: the condition names prefix '{prefix}' instead of exactly {exactly} ({assignment.Path})");
        foreach (var expression in condition.Expressions)
            foreach (var missing in ownPrefixes.Where(p => !expression.Prefixes.Contains(p)))
                violations.Add($"{who}: an expression does not name '{missing}', so that federation cannot use it: {expression.Text} ({assignment.Path})");
        foreach (var container in condition.AllContainers.Where(c => c is not ("landing" or "quarantine")))
            violations.Add($"{who}: the condition names container '{container}' ({assignment.Path})");
        foreach (var expression in condition.Expressions.Where(e => e.Prefixes.Count == 0))
            violations.Add($"{who}: an expression without its own prefix: {expression.Text} ({assignment.Path})");
    }

    private static void CheckOnly(string who, RoleCondition condition, string[] containers, string[] prefixes, DeployedResource assignment, List<string> violations)
    {
        foreach (var container in condition.AllContainers.Where(c => !containers.Contains(c)))
            violations.Add($"{who}: the condition names container '{container}' ({assignment.Path})");
        foreach (var prefix in condition.AllPrefixes.Where(p => !prefixes.Contains(p)))
            violations.Add($"{who}: the condition names prefix '{prefix}' ({assignment.Path})");
        foreach (var expression in condition.Expressions.Where(e => e.Prefixes.Count == 0 || e.Containers.Count == 0))
            violations.Add($"{who}: an expression without a container and prefix: {expression.Text} ({assignment.Path})");
    }

    private static void CheckController(RoleCondition condition, DeployedResource assignment, List<string> violations)
    {
        foreach (var container in condition.AllContainers.Where(c => c is not ("curated" or "published" or "quarantine" or "reference")))
            violations.Add($"controller: the condition names container '{container}' ({assignment.Path})");
        foreach (var action in new[] { "write", "add/action", "delete", "move/action" })
            if (condition.For($"{RoleCatalog.Blobs}/{action}") is { } limit && !limit.Containers.SequenceEqual(["reference"]))
                violations.Add($"controller: blobs/{action} is limited to {List(limit.Containers)}, not exactly 'reference' ({assignment.Path})");
    }

    /// <summary>The data actions a condition must limit; blobs/read twice, for reading and for listing (Blob.List).</summary>
    private static IEnumerable<(string Action, bool Listing)> DataActionsToLimit(NamedRole role)
    {
        foreach (var action in role.DataActions)
        {
            yield return (action, false);
            if (action.EndsWith("/blobs/read", StringComparison.OrdinalIgnoreCase))
                yield return (action, true);
        }
    }

    private static string Describe((string Action, bool Listing) action) =>
        action.Action.Replace(RoleCatalog.Blobs + "/", "blobs/", StringComparison.Ordinal) + (action.Listing ? " (listing)" : "");

    public static string RoleDefinitionId(string id) =>
        $"/subscriptions/{ArmEnvironment.Test.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{id}";

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(v => $"'{v}'")) + "]";

    private static void Expected(DeployedResource resource, object expected, string[] path, List<string> violations)
    {
        var actual = resource.Get(path);
        if (!ArmContext.JsonEquals(actual, expected))
            violations.Add($"{resource.Path}: {string.Join('.', path)} is {ArmContext.ToJson(actual)}, not {ArmContext.ToJson(expected)}");
    }
}
