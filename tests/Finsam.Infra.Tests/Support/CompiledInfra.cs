using System.Text.Json.Nodes;
using Finsam.Infra.Tests.Arm;
using Finsam.Infra.Tests.Policy;

namespace Finsam.Infra.Tests.Support;

/// <summary>infra/main.bicep compiled once for every test of the collection (a build takes a few seconds).</summary>
public sealed class CompiledInfra
{
    public CompiledInfra()
    {
        Build = Tools.Bicep("build", Path.Combine(Tools.InfraFolder, "main.bicep"), "--stdout");
    }

    public ProcessResult Build { get; }

    /// <summary>A fresh copy of the compiled ARM template, free to break.</summary>
    public JsonObject Template()
    {
        Assert.True(Build.ExitCode == 0, "bicep build failed: " + Build.Output);
        return JsonNode.Parse(Build.Stdout)!.AsObject();
    }

    public static IReadOnlyList<DeployedResource> Deploy(JsonObject template, InfraInputs? inputs = null) =>
        ArmDeployment.Expand(template, (inputs ?? InfraInputs.Sample).Parameters());

    public static IReadOnlyList<string> Check(JsonObject template, InfraInputs? inputs = null)
    {
        inputs ??= InfraInputs.Sample;
        return InfraPolicy.Check(template.ToJsonString(), Deploy(template, inputs), inputs);
    }

    /// <summary>The template of a module (a nested deployment) of main.bicep.</summary>
    public static JsonObject Module(JsonObject main, string name) =>
        main["resources"]![name]!["properties"]!["template"]!.AsObject();

    /// <summary>A resource of a template by its symbolic name, or where a module has none, by the last part of its type.</summary>
    public static JsonObject Resource(JsonObject template, string symbol) => template["resources"] switch
    {
        JsonObject symbolic => symbolic[symbol]!.AsObject(),
        JsonArray array => array.Single(r => r!["type"]!.GetValue<string>().Split('/')[^1] == symbol)!.AsObject(),
        _ => throw new InvalidOperationException("The template has no resources."),
    };
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "infra";
}
