using System.Text.Json.Nodes;
using Finsam.Infra.Tests.Arm;

namespace Finsam.Infra.Tests;

/// <summary>The test evaluator of ARM expressions, on the forms compiled Bicep uses.</summary>
public sealed class ArmExpressionTests
{
    private static object? Evaluate(string expression, string parameters = "{}")
    {
        var template = JsonNode.Parse("""{ "parameters": { "ids": { "type": "array" } }, "variables": { "allowed": "abc-" } }""")!.AsObject();
        var values = JsonNode.Parse(parameters)!.AsObject().ToDictionary(p => p.Key, p => new ArmContext(template, new Dictionary<string, object?>(), ArmEnvironment.Test, "rg", "t").EvaluateNode(p.Value));
        return new ArmContext(template, values, ArmEnvironment.Test, "rg", "t").EvaluateString(expression);
    }

    [Fact]
    public void Format_unescapes_braces_and_quotes()
    {
        Assert.Equal("ActionMatches{'x/write'} 'a/'", Evaluate("[format('ActionMatches{{''{0}/write''}} ''{1}/''', 'x', 'a')]"));
    }

    [Fact]
    public void Lambdas_filter_and_map()
    {
        Assert.Equal("""["b","c"]""", ArmContext.ToJson(Evaluate(
            "[map(filter(parameters('ids'), lambda('f', not(equals(lambdaVariables('f').id, 'a')))), lambda('f', lambdaVariables('f').id))]",
            """{ "ids": [ { "id": "a" }, { "id": "b" }, { "id": "c" } ] }""")));
    }

    [Fact]
    public void If_evaluates_only_the_branch_taken_and_fail_stops()
    {
        Assert.Equal("ok", Evaluate("[if(contains(variables('allowed'), 'a'), 'ok', fail('not reached'))]"));
        Assert.Equal("stop", Assert.Throws<ArmFailException>(() => Evaluate("[if(contains(variables('allowed'), 'z'), 'ok', fail('stop'))]")).Message);
    }

    [Fact]
    public void Unknown_values_propagate_and_show_in_strings()
    {
        Assert.IsType<ArmUnknown>(Evaluate("[reference('storage').outputs.name.value]"));
        Assert.Equal("https://⟨?⟩/x", Evaluate("[format('https://{0}/x', reference('storage').outputs.name.value)]"));
    }

    [Fact]
    public void Resource_ids_are_built_at_their_scope()
    {
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default",
            Evaluate("[resourceId('Microsoft.Storage/storageAccounts/blobServices', 'st', 'default')]"));
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-00000000aaaa/providers/Microsoft.Authorization/roleDefinitions/r1",
            Evaluate("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r1')]"));
        Assert.Equal("[not an expression]", Evaluate("[[not an expression]"));
    }
}
