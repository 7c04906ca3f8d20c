using System.Text.Json.Nodes;

namespace Finsam.Infra.Tests.Arm;

/// <summary>
/// One resource a deployment would create, with its values evaluated: <see cref="Path"/> names the nested deployments
/// it is in and its copy index (main/roles/federationLanding[1]). <see cref="Error"/> holds why it could not be
/// evaluated, such as the message of a fail() it reached.
/// </summary>
public sealed record DeployedResource(string Path, string Type, string? Name, Dictionary<string, object?>? Values, string? Error)
{
    /// <summary>A value under the resource by property names (case-insensitive), or null when a step is missing.</summary>
    public object? Get(params string[] path)
    {
        object? value = Values;
        foreach (var step in path)
            value = value is Dictionary<string, object?> o && o.TryGetValue(step, out var next) ? next : null;
        return value;
    }

    public string? GetString(params string[] path) => Get(path) as string;

    public bool Is(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Expands a compiled template as ARM would deploy it: resource conditions, copy loops, and nested deployments
/// (Bicep modules: Microsoft.Resources/deployments with properties.template, parameters evaluated in the outer scope).
/// Existing resources are only references and are left out.
/// </summary>
public static class ArmDeployment
{
    public const string DeploymentsType = "Microsoft.Resources/deployments";

    public static IReadOnlyList<DeployedResource> Expand(JsonObject template, IReadOnlyDictionary<string, object?> parameters,
        ArmEnvironment? environment = null)
    {
        var resources = new List<DeployedResource>();
        ExpandTemplate(new ArmContext(template, parameters, environment ?? ArmEnvironment.Test, null, "main"), "main", resources);
        return resources;
    }

    private static void ExpandTemplate(ArmContext context, string path, List<DeployedResource> into)
    {
        foreach (var (symbol, resource) in Resources(context.Template))
        {
            if (resource["existing"]?.GetValue<bool>() == true)
                continue;
            if (resource["copy"] is JsonObject copy)
            {
                long count;
                try
                {
                    count = context.EvaluateNode(copy["count"]) as long? ?? throw new InvalidOperationException("copy count is not known");
                }
                catch (Exception e) when (e is InvalidOperationException or ArmFailException or NotSupportedException)
                {
                    into.Add(new DeployedResource($"{path}/{symbol}", Type(resource), null, null, e.Message));
                    continue;
                }
                var loop = copy["name"]?.GetValue<string>() ?? symbol;
                for (var i = 0; i < count; i++)
                    ExpandResource(context.WithCopy(loop, i), $"{path}/{symbol}[{i}]", resource, into);
            }
            else
                ExpandResource(context, $"{path}/{symbol}", resource, into);
        }
    }

    private static void ExpandResource(ArmContext context, string path, JsonObject resource, List<DeployedResource> into)
    {
        var type = Type(resource);
        try
        {
            if (resource.TryGetPropertyValue("condition", out var condition) && context.EvaluateNode(condition) is false)
                return;
            var name = context.EvaluateNode(resource["name"]) as string;
            if (string.Equals(type, DeploymentsType, StringComparison.OrdinalIgnoreCase)
                && resource["properties"]?["template"] is JsonObject nested)
            {
                if (resource["properties"]?["expressionEvaluationOptions"]?["scope"]?.GetValue<string>() is not "inner")
                    throw new InvalidOperationException("A nested deployment must evaluate its expressions in its own (inner) scope.");
                var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                if (resource["properties"]?["parameters"] is JsonObject supplied)
                    foreach (var (key, value) in supplied)
                        parameters[key] = value?["reference"] is not null
                            ? new ArmUnknown("Key Vault reference")
                            : context.EvaluateNode(value?["value"]);
                var resourceGroup = resource.TryGetPropertyValue("resourceGroup", out var group)
                    ? context.EvaluateNode(group) as string
                    : context.ResourceGroup;
                var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
                {
                    ["name"] = name,
                    ["resourceGroup"] = resourceGroup,
                    ["parameters"] = parameters,
                };
                into.Add(new DeployedResource(path, type, name, values, null));
                ExpandTemplate(new ArmContext(nested, parameters, context.Environment, resourceGroup, name ?? path), $"{path}", into);
                return;
            }
            var evaluated = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in resource)
                if (key is not ("copy" or "condition" or "dependsOn"))
                    evaluated[key] = context.EvaluateNode(value);
            into.Add(new DeployedResource(path, type, name, evaluated, null));
        }
        catch (Exception e) when (e is InvalidOperationException or ArmFailException or NotSupportedException or FormatException
                                      or ArgumentException or KeyNotFoundException)
        {
            into.Add(new DeployedResource(path, type, null, null, e.Message));
        }
    }

    private static string Type(JsonObject resource) => resource["type"]?.GetValue<string>() ?? "";

    private static IEnumerable<(string Symbol, JsonObject Resource)> Resources(JsonObject template) => template["resources"] switch
    {
        JsonObject symbolic => symbolic.Select(p => (p.Key, (JsonObject)p.Value!)),
        // Without symbolic names (languageVersion 1.0), a resource is named by the last part of its type: sites, config.
        JsonArray array => array.Select(r => (Type((JsonObject)r!).Split('/')[^1], (JsonObject)r!)),
        _ => [],
    };
}
