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
        Assert.Contains("run: ./infra/hooks/postprovision.sh\n", yaml, StringComparison.Ordinal);
        Assert.Contains("run: ./infra/hooks/postdeploy.sh\n", yaml, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Option(string script, string option) =>
        Regex.Matches(script, Regex.Escape(option) + @" [^\s\\]+").Select(m => m.Value);

    [GeneratedRegex(@"--advanced-filter [^\\\n]*")]
    private static partial Regex AdvancedFilter();
}
