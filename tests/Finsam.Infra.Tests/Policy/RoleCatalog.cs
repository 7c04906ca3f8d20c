namespace Finsam.Infra.Tests.Policy;

/// <summary>A role the deployment may assign, with the data actions it grants (data actions are what conditions limit).</summary>
public sealed record NamedRole(string Name, string Id, IReadOnlyList<string> DataActions);

/// <summary>
/// The built-in roles infra/ may assign: an allow-list kept apart from infra/modules/roles.bicep on purpose, so that a new
/// role there fails the policy until it is reviewed here. Data actions as Azure defines the roles.
/// </summary>
public static class RoleCatalog
{
    public const string Blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
    public const string Queues = "Microsoft.Storage/storageAccounts/queueServices/queues/messages";

    public static IReadOnlyList<NamedRole> BuiltIn { get; } =
    [
        new("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", [$"{Blobs}/*"]),
        new("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            [$"{Blobs}/delete", $"{Blobs}/read", $"{Blobs}/write", $"{Blobs}/move/action", $"{Blobs}/add/action"]),
        new("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", [$"{Blobs}/read"]),
        new("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            [$"{Queues}/delete", $"{Queues}/read", $"{Queues}/write", $"{Queues}/process/action"]),
        new("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6",
            ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
        new("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb",
            ["Microsoft.Insights/Metrics/Write", "Microsoft.Insights/Telemetry/Write"]),
    ];

    /// <summary>The data actions custom roles may grant: what uploading, reading reports and creating the key need.</summary>
    public static IReadOnlyList<string> CustomRoleDataActions { get; } =
    [
        $"{Blobs}/read",
        $"{Blobs}/write",
        $"{Blobs}/add/action",
        "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        "Microsoft.KeyVault/vaults/secrets/setSecret/action",
    ];

    public const string GetSecret = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
}
