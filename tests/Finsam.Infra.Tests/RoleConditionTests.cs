using Finsam.Infra.Tests.Arm;
using Finsam.Infra.Tests.Policy;
using Finsam.Infra.Tests.Support;
using static Finsam.Infra.Tests.Support.CompiledInfra;

namespace Finsam.Infra.Tests;

/// <summary>The exact conditions the deployment gives each principal, for the sample federations.</summary>
[Collection(InfraCollection.Name)]
public sealed class RoleConditionTests(CompiledInfra infra)
{
    private const string Blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
    private const string Container = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";
    private const string Path = $"@Resource[{Blobs}:path]";
    private const string Prefix = $"@Request[{Blobs}:prefix]";
    private const string NotWriting = $"!(ActionMatches{{'{Blobs}/write'}}) AND !(ActionMatches{{'{Blobs}/add/action'}})";
    private const string NotReading = $"!(ActionMatches{{'{Blobs}/read'}} AND NOT SubOperationMatches{{'Blob.List'}})";
    private const string NotListing = $"!(ActionMatches{{'{Blobs}/read'}} AND SubOperationMatches{{'Blob.List'}})";

    [Fact]
    public void Aspdalen_writes_only_landing_aspdalen_and_reads_its_own_landing_and_quarantine()
    {
        var assignment = Assignment("11111111-0000-0000-0000-000000000001");

        Assert.Equal("2.0", assignment.GetString("properties", "conditionVersion"));
        Assert.Equal(
            $"(({NotWriting}) OR ({Container} StringEquals 'landing' AND ({Path} StringStartsWith 'aspdalen/')))" +
            $" AND (({NotReading}) OR (({Container} StringEquals 'landing' OR {Container} StringEquals 'quarantine') AND ({Path} StringStartsWith 'aspdalen/')))" +
            $" AND (({NotListing}) OR (({Container} StringEquals 'landing' OR {Container} StringEquals 'quarantine') AND ({Prefix} StringStartsWith 'aspdalen/')))",
            assignment.GetString("properties", "condition"));
        Assert.Equal("Group", assignment.GetString("properties", "principalType"));
    }

    [Fact]
    public void Each_federation_gets_its_own_prefix_with_the_slash()
    {
        var prefixes = InfraInputs.Sample.Federations
            .Select(f => string.Join(" ", RoleCondition.Parse(Assignment(f.PrincipalId).GetString("properties", "condition")!).AllPrefixes))
            .ToList();

        Assert.Equal(["aspdalen/", "bjorkvik/", "norra-ekstrand/"], prefixes);
    }

    [Fact]
    public void Federations_get_the_custom_uploader_role_with_data_actions_only()
    {
        var deployed = Deploy(infra.Template());
        var uploader = deployed.Single(r => r.Is(InfraPolicy.RoleDefinitionType) && r.GetString("properties", "roleName")!.Contains("uploader"));
        var permissions = (List<object?>)uploader.Get("properties", "permissions")!;

        Assert.Equal(
            """[{"actions":[],"dataActions":["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read","Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write","Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action"],"notActions":[],"notDataActions":[]}]""",
            ArmContext.ToJson(permissions));
        Assert.Equal(InfraPolicy.RoleDefinitionId(uploader.Name!), Assignment("11111111-0000-0000-0000-000000000002").GetString("properties", "roleDefinitionId"));
    }

    [Fact]
    public void Members_read_and_list_only_published_kpi()
    {
        var assignment = Assignment(InfraInputs.Sample.MembersGroupId);

        Assert.Equal(InfraPolicy.RoleDefinitionId("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"), assignment.GetString("properties", "roleDefinitionId"));
        Assert.Equal(
            $"(({NotReading}) OR ({Container} StringEquals 'published' AND {Path} StringStartsWith 'kpi/'))" +
            $" AND (({NotListing}) OR ({Container} StringEquals 'published' AND {Prefix} StringStartsWith 'kpi/'))",
            assignment.GetString("properties", "condition"));
    }

    [Fact]
    public void The_controller_reads_curated_published_and_quarantine_reports_and_writes_only_reference()
    {
        var deployed = Deploy(infra.Template());
        var controller = deployed.Where(r => r.Is(InfraPolicy.RoleAssignmentType)
                                             && r.GetString("properties", "principalId") == InfraInputs.Sample.ControllerGroupId).ToList();

        Assert.Equal(["main/roles/controllerReader", "main/roles/controllerReference"], controller.Select(r => r.Path));
        var read = RoleCondition.Parse(controller[0].GetString("properties", "condition")!);
        Assert.Equal(["curated", "published", "quarantine"], read.AllContainers);
        Assert.Equal(["*.report.json", "*.report.txt"], read.Expressions[0].PathPatterns);
        var write = RoleCondition.Parse(controller[1].GetString("properties", "condition")!);
        Assert.Equal(["reference"], write.AllContainers);
        Assert.Equal(["write", "add/action", "delete", "move/action", "read"],
            write.Expressions.Single().Actions.Select(a => a[(Blobs.Length + 1)..]));
    }

    [Fact]
    public void Only_the_apps_identity_can_read_the_pseudonym_key_and_the_deployer_may_only_create_it()
    {
        var deployed = Deploy(infra.Template());
        var onVault = deployed.Where(r => r.Is(InfraPolicy.RoleAssignmentType) && (r.GetString("scope") ?? "").Contains("Microsoft.KeyVault/vaults", StringComparison.Ordinal))
            .Select(r => $"{r.Path} {ArmContext.ToText(r.Get("properties", "principalId"))}")
            .ToList();
        var creator = deployed.Single(r => r.Is(InfraPolicy.RoleDefinitionType) && r.GetString("properties", "roleName")!.Contains("key creator"));

        Assert.Equal(["main/roles/appSecretsUser ⟨?⟩", $"main/roles/deployerKeyCreator {InfraInputs.Sample.DeployerId}"], onVault);
        Assert.Equal(
            """["Microsoft.KeyVault/vaults/secrets/readMetadata/action","Microsoft.KeyVault/vaults/secrets/setSecret/action"]""",
            ArmContext.ToJson(((Dictionary<string, object?>)((List<object?>)creator.Get("properties", "permissions")!)[0]!)["dataActions"]));
    }

    private DeployedResource Assignment(string principalId) =>
        Deploy(infra.Template()).Single(r => r.Is(InfraPolicy.RoleAssignmentType) && r.GetString("properties", "principalId") == principalId);
}
