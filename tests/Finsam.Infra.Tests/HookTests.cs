using System.Text.RegularExpressions;
using Finsam.Infra.Tests.Support;

namespace Finsam.Infra.Tests;

/// <summary>The azd hooks: shellcheck-clean, and the Event Grid subscription they make.</summary>
public sealed partial class HookTests
{
    private static string Hook(string name) => Path.Combine(Tools.InfraFolder, "hooks", name);

    [Theory]
    [InlineData("postprovision.sh")]
    [InlineData("postdeploy.sh")]
    public void The_hook_passes_shellcheck(string hook)
    {
        var result = Tools.Shellcheck("--shell=sh", "--severity=style", Hook(hook));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Shellcheck_reports_an_unquoted_variable()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"finsam-hook-{Guid.NewGuid():N}.sh");
        File.WriteAllText(broken, File.ReadAllText(Hook("postprovision.sh"))
            .Replace("--vault-name \"$AZURE_KEY_VAULT_NAME\" --query", "--vault-name $AZURE_KEY_VAULT_NAME --query", StringComparison.Ordinal));
        try
        {
            var result = Tools.Shellcheck("--shell=sh", "--severity=style", broken);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("SC2086", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void The_subscription_delivers_only_final_writes_under_landing_and_dead_letters_by_identity()
    {
        // The hook deploys subscription.bicep beside it; compiled, the subscription is what Event Grid gets.
        var script = File.ReadAllText(Hook("postdeploy.sh"));
        var lint = Tools.Bicep("lint", Hook("subscription.bicep"));
        var build = Tools.Bicep("build", Hook("subscription.bicep"), "--stdout");
        var template = System.Text.Json.Nodes.JsonNode.Parse(build.Stdout)!.AsObject();
        var resource = CompiledInfra.Resource(template, "eventSubscriptions");
        var subscription = resource["properties"]!;

        Assert.True(lint.ExitCode == 0 && lint.Output == "", lint.Output);
        Assert.Contains("template=\"$(dirname \"$0\")/subscription.bicep\"", script, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", script, StringComparison.Ordinal);
        Assert.Equal("Microsoft.EventGrid/systemTopics/eventSubscriptions", resource["type"]!.GetValue<string>());
        Assert.Equal("""["Microsoft.Storage.BlobCreated"]""", subscription["filter"]!["includedEventTypes"]!.ToJsonString());
        Assert.Equal("/blobServices/default/containers/landing/", subscription["filter"]!["subjectBeginsWith"]!.GetValue<string>());
        Assert.Equal("""[{"operatorType":"StringIn","key":"data.api","values":["PutBlob","PutBlockList","CopyBlob","FlushWithClose"]}]""",
            subscription["filter"]!["advancedFilters"]!.ToJsonString());
        Assert.Equal("""{"maxDeliveryAttempts":30,"eventTimeToLiveInMinutes":1440}""", subscription["retryPolicy"]!.ToJsonString());
        Assert.Equal("SystemAssigned", subscription["deadLetterWithResourceIdentity"]!["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", subscription["deadLetterWithResourceIdentity"]!["deadLetterDestination"]!["endpointType"]!.GetValue<string>());
        var endpoint = subscription["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>();
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', ", endpoint, StringComparison.Ordinal);
        Assert.Contains("variables('functionName'), listKeys(format('{0}/host/default', ", endpoint, StringComparison.Ordinal);
        Assert.EndsWith(".systemKeys.blobs_extension)]", endpoint, StringComparison.Ordinal);
        Assert.Equal("IngestLanding", template["variables"]!["functionName"]!.GetValue<string>());
    }

    [Fact]
    public void The_key_is_created_only_when_absent_and_never_read_back()
    {
        var script = File.ReadAllText(Hook("postprovision.sh"));

        Assert.Equal(1, Regex.Count(script, @"az keyvault secret set\b"));
        Assert.DoesNotContain("secret show", script, StringComparison.Ordinal);
        Assert.DoesNotContain("--overwrite", script, StringComparison.Ordinal);
        Assert.True(script.IndexOf("grep -qx \"$secret_name\"", StringComparison.Ordinal) < script.IndexOf("az keyvault secret set", StringComparison.Ordinal));
        Assert.Contains("openssl rand -base64 32", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_and_runs_both_hooks()
    {
        var yaml = File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "azure.yaml"));

        Assert.Contains("project: ./functions/Finsam.Pipeline.Functions\n", yaml, StringComparison.Ordinal);
        Assert.Contains("host: function\n", yaml, StringComparison.Ordinal);
        // The same sh scripts on both kinds of machine (on Windows with the sh of Git for Windows, or inside WSL).
        foreach (var hook in new[] { "postprovision", "postdeploy" })
            foreach (var os in new[] { "posix", "windows" })
            {
                var at = yaml.IndexOf($"    {os}:\n      shell: sh\n      run: ./infra/hooks/{hook}.sh\n", StringComparison.Ordinal);
                Assert.True(at >= 0, $"azure.yaml runs no {hook}.sh with sh on {os}");
                var owner = yaml[..at].TrimEnd('\n').Split('\n').Last(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal));
                Assert.Equal($"  {hook}:", owner);
            }
    }

    [Fact]
    public void Postprovision_creates_the_key_then_restarts_the_app_so_that_its_reference_resolves()
    {
        var run = RunPostprovision(existingSecrets: "other-secret");

        Assert.True(run.Result.ExitCode == 0, run.Result.Output);
        Assert.Equal(4, run.Calls.Count);
        Assert.Equal(ListUploadRoles, run.Calls[0]);
        Assert.Equal("keyvault secret list --vault-name finsam-kv-test --query [].name --output tsv", run.Calls[1]);
        Assert.StartsWith("keyvault secret set --vault-name finsam-kv-test --name pseudonym-key --value ", run.Calls[2], StringComparison.Ordinal);
        Assert.Equal("functionapp restart --name finsam-test --resource-group rg-finsam-test --output none", run.Calls[3]);
        // 32 random bytes in base64, in the call only: never in what the hook prints.
        var key = run.Calls[2].Split(" ")[8];
        Assert.Equal(32, Convert.FromBase64String(key).Length);
        Assert.DoesNotContain(key, run.Result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Postprovision_keeps_an_existing_key_and_leaves_the_app_running()
    {
        var run = RunPostprovision(existingSecrets: "other-secret\npseudonym-key");

        Assert.True(run.Result.ExitCode == 0, run.Result.Output);
        Assert.Equal([ListUploadRoles, "keyvault secret list --vault-name finsam-kv-test --query [].name --output tsv"], run.Calls);
        Assert.Contains("already holds pseudonym-key; it is kept as it is.", run.Result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Postprovision_removes_the_upload_role_of_a_group_that_uploads_for_no_federation_listed()
    {
        // Three assignments of the uploader role: a group still listed (in capitals, as az may print it), one listed,
        // and one whose federations were taken out or moved to another group.
        var run = RunPostprovision("pseudonym-key",
            uploadRoles: "/ra/kept-1\t11111111-0000-0000-0000-0000000000AB\n/ra/stale\t99999999-0000-0000-0000-000000000009\n/ra/kept-2\t11111111-0000-0000-0000-000000000002\n",
            uploaders: "11111111-0000-0000-0000-0000000000ab 11111111-0000-0000-0000-000000000002");

        Assert.True(run.Result.ExitCode == 0, run.Result.Output);
        // The storage lock refuses deleting a role assignment on the account: lifted for the deletion, then put back.
        Assert.Equal(
            [
                ListUploadRoles, ListLock, DeleteLock, "role assignment delete --ids /ra/stale --output none", CreateLock,
                "keyvault secret list --vault-name finsam-kv-test --query [].name --output tsv",
            ],
            run.Calls);
        Assert.Contains("removing the upload role of 99999999-0000-0000-0000-000000000009, which uploads for no federation listed", run.Result.Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Postprovision_removes_every_upload_role_when_no_federation_is_listed_and_stops_when_it_cannot_list_them()
    {
        var none = RunPostprovision("pseudonym-key", uploadRoles: "/ra/a\t11111111-0000-0000-0000-000000000001\n", uploaders: "", locks: "");
        // The fake az's listing ends in an error (its printf closed, then exit 1), as az does without the right to list.
        var refused = RunPostprovision("pseudonym-key", uploadRoles: "' >&2; exit 1; printf '");

        // Without the lock (lockStorage false) there is nothing to lift.
        Assert.Equal([ListUploadRoles, ListLock, "role assignment delete --ids /ra/a --output none", "keyvault secret list --vault-name finsam-kv-test --query [].name --output tsv"],
            none.Calls);
        Assert.Equal(1, refused.Result.ExitCode);
        Assert.Equal([ListUploadRoles], refused.Calls);
        Assert.Contains("could not list the upload roles on the storage account; nothing was changed.", refused.Result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_is_created_after_its_roles_so_that_it_can_read_the_key_when_it_starts()
    {
        var template = System.Text.Json.Nodes.JsonNode.Parse(Tools.Bicep("build", Path.Combine(Tools.InfraFolder, "main.bicep"), "--stdout").Stdout)!;
        // Symbolic names (language version 2.0): the app module depends on the roles module by name.
        var dependsOn = template["resources"]!["app"]!["dependsOn"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();

        Assert.Contains("roles", dependsOn);
    }

    private const string LockOn = "--resource-group rg-finsam-test --resource finsamtest --resource-type Microsoft.Storage/storageAccounts";
    private const string ListLock = $"lock list {LockOn} --query [?name=='keep-originals'].name --output tsv";
    private const string DeleteLock = $"lock delete --name keep-originals {LockOn} --output none";
    private const string CreateLock = "lock create --name keep-originals --lock-type CanNotDelete --resource-group rg-finsam-test --resource finsamtest " +
        "--resource-type Microsoft.Storage/storageAccounts --notes Holds the federations' originals (raw/) and the published versions. " +
        "Copy them before removing this lock (docs/deploy.md). --output none";

    [Fact]
    public void Postprovision_reads_az_output_with_windows_line_ends()
    {
        // az on Windows ends tsv lines with CR LF: the key must still be found, and a listed group still be listed.
        var run = RunPostprovision("other-secret\r\npseudonym-key\r",
            uploadRoles: "/ra/kept\t11111111-0000-0000-0000-000000000001\r\n");

        Assert.True(run.Result.ExitCode == 0, run.Result.Output);
        Assert.Equal([ListUploadRoles, "keyvault secret list --vault-name finsam-kv-test --query [].name --output tsv"], run.Calls);
    }

    private const string StorageId = "/subscriptions/s/resourceGroups/rg-finsam-test/providers/Microsoft.Storage/storageAccounts/finsamtest";
    private const string ListUploadRoles = $"role assignment list --scope {StorageId} --role 00000000-0000-0000-0000-00000000aaaa --query [].[id, principalId] --output tsv";

    /// <summary>Runs the postprovision hook with an az of our own on the PATH that records each call and lists the given secrets.</summary>
    private static (ProcessResult Result, List<string> Calls) RunPostprovision(string existingSecrets, string uploadRoles = "",
        string uploaders = "11111111-0000-0000-0000-000000000001", string locks = "keep-originals\n")
    {
        var folder = Directory.CreateTempSubdirectory("finsam-hook-").FullName;
        try
        {
            var log = Path.Combine(folder, "calls.txt");
            var az = Path.Combine(folder, "az");
            File.WriteAllText(az, $$"""
                #!/bin/sh
                printf '%s\n' "$*" >> '{{log}}'
                case "$*" in
                  "keyvault secret list "*) printf '{{existingSecrets}}\n' ;;
                  "role assignment list "*) printf '{{uploadRoles}}' ;;
                  "lock list "*) printf '{{locks}}' ;;
                esac
                """);
            Tools.Run("/bin/chmod", ["u+x", az]);
            var result = Tools.Run("/bin/sh", [Hook("postprovision.sh")], folder, new Dictionary<string, string>
            {
                ["PATH"] = $"{folder}:/usr/bin:/bin",
                ["AZURE_KEY_VAULT_NAME"] = "finsam-kv-test",
                ["AZURE_FUNCTION_APP_NAME"] = "finsam-test",
                ["AZURE_RESOURCE_GROUP"] = "rg-finsam-test",
                ["AZURE_STORAGE_ACCOUNT_ID"] = StorageId,
                ["AZURE_STORAGE_ACCOUNT_NAME"] = "finsamtest",
                ["FINSAM_FEDERATION_UPLOADER_ROLE_ID"] = "00000000-0000-0000-0000-00000000aaaa",
                ["FINSAM_FEDERATION_UPLOADERS"] = uploaders,
            });
            return (result, File.Exists(log) ? File.ReadAllLines(log).ToList() : []);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
