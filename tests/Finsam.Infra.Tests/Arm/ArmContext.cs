using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Finsam.Infra.Tests.Arm;

/// <summary>A value only a real deployment knows (reference(), a module's output …). Strings built from it show ⟨?⟩.</summary>
public sealed record ArmUnknown(string Why)
{
    public const string Marker = "⟨?⟩";
    public override string ToString() => Marker;
}

/// <summary>A lambda(…) argument of map() or filter().</summary>
public sealed record ArmLambda(IReadOnlyList<string> Names, ArmExpression Body, ArmContext Context);

/// <summary>The fail() function was reached: the deployment would stop with this message.</summary>
public sealed class ArmFailException(string message) : Exception(message);

/// <summary>Where a deployment runs: fixed, made-up ids that show up in resource ids the evaluator builds.</summary>
public sealed record ArmEnvironment(string SubscriptionId, string TenantId, string Location)
{
    public static ArmEnvironment Test { get; } = new("00000000-0000-0000-0000-00000000aaaa", "00000000-0000-0000-0000-00000000bbbb", "swedencentral");
}

/// <summary>
/// Evaluates the ARM expressions of one template (a compiled Bicep file or module) with given parameters: enough of
/// ARM's functions for what the Finsam templates use. Values are string, long, bool, null, List&lt;object?&gt;,
/// Dictionary&lt;string, object?&gt; (keys case-insensitive, as in ARM), <see cref="ArmUnknown"/> and <see cref="ArmLambda"/>.
/// </summary>
public sealed class ArmContext
{
    private readonly Shared _shared;
    private readonly (string? Name, int Index)? _copy;
    private readonly ImmutableDictionary<string, object?> _lambdaVariables;

    public ArmContext(JsonObject template, IReadOnlyDictionary<string, object?> parameters, ArmEnvironment environment,
        string? resourceGroup, string deploymentName)
        : this(new Shared(template, parameters, environment, resourceGroup, deploymentName), null, ImmutableDictionary<string, object?>.Empty)
    {
    }

    private ArmContext(Shared shared, (string? Name, int Index)? copy, ImmutableDictionary<string, object?> lambdaVariables)
    {
        _shared = shared;
        _copy = copy;
        _lambdaVariables = lambdaVariables;
    }

    public JsonObject Template => _shared.Template;
    public ArmEnvironment Environment => _shared.Environment;
    public string? ResourceGroup => _shared.ResourceGroup;

    public ArmContext WithCopy(string name, int index) => new(_shared, (name, index), _lambdaVariables);

    /// <summary>Evaluates a template value: strings that are expressions are evaluated, objects and arrays member by member.</summary>
    public object? EvaluateNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => EvaluateNode(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray a => a.Select(EvaluateNode).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => EvaluateString(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue(out long l) ? l : (object)v.GetValue<double>(),
        _ => throw new NotSupportedException("Unexpected JSON value " + node.ToJsonString()),
    };

    public object? EvaluateString(string value)
    {
        if (ArmExpression.IsExpression(value))
            return Evaluate(ArmExpression.Parse(value[1..^1]));
        return value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;
    }

    public object? Parameter(string name)
    {
        if (_shared.ParameterValues.TryGetValue(name, out var value))
            return value;
        var declared = (Template["parameters"] as JsonObject)?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (declared?.Value is not JsonObject declaration)
            throw new InvalidOperationException($"The template declares no parameter '{name}'.");
        if (_shared.Supplied.TryGetValue(name, out var supplied))
            value = supplied;
        else if (declaration.TryGetPropertyValue("defaultValue", out var defaultValue))
            value = new ArmContext(_shared, null, ImmutableDictionary<string, object?>.Empty).EvaluateNode(defaultValue);
        else
            throw new InvalidOperationException($"Parameter '{name}' has no value and no default.");
        _shared.ParameterValues[name] = value;
        return value;
    }

    public object? Variable(string name)
    {
        if (_shared.VariableValues.TryGetValue(name, out var value))
            return value;
        var declared = (Template["variables"] as JsonObject)?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (declared?.Key is null)
            throw new InvalidOperationException($"The template declares no variable '{name}'.");
        if (!_shared.Evaluating.Add(name))
            throw new InvalidOperationException($"Variable '{name}' refers to itself.");
        value = new ArmContext(_shared, null, ImmutableDictionary<string, object?>.Empty).EvaluateNode(declared.Value.Value);
        _shared.Evaluating.Remove(name);
        _shared.VariableValues[name] = value;
        return value;
    }

    public object? Evaluate(ArmExpression expression) => expression switch
    {
        ArmLiteral literal => literal.Value,
        ArmMember member => Member(Evaluate(member.Target), member.Name),
        ArmIndex index => Index(Evaluate(index.Target), Evaluate(index.Index)),
        ArmCall call => Call(call),
        _ => throw new NotSupportedException(expression.ToString()),
    };

    private static object? Member(object? target, string name) => target switch
    {
        ArmUnknown unknown => unknown,
        Dictionary<string, object?> o when o.TryGetValue(name, out var value) => value,
        Dictionary<string, object?> => throw new InvalidOperationException($"The object has no property '{name}'."),
        _ => throw new InvalidOperationException($"Cannot read '{name}' of {Describe(target)}."),
    };

    private static object? Index(object? target, object? index) => (target, index) switch
    {
        (ArmUnknown unknown, _) => unknown,
        (_, ArmUnknown unknown) => unknown,
        (List<object?> list, long i) => list[(int)i],
        (Dictionary<string, object?> o, string key) => Member(o, key),
        _ => throw new InvalidOperationException($"Cannot index {Describe(target)} with {Describe(index)}."),
    };

    private object? Call(ArmCall call)
    {
        var name = call.Name.ToLowerInvariant();
        // Functions that must not evaluate every argument first.
        switch (name)
        {
            case "if":
                var condition = Evaluate(call.Arguments[0]);
                if (condition is ArmUnknown) return condition;
                return Evaluate(call.Arguments[AsBool(condition) ? 1 : 2]);
            case "lambda":
                var names = call.Arguments.Take(call.Arguments.Count - 1).Select(a => AsString(Evaluate(a))).ToList();
                return new ArmLambda(names, call.Arguments[^1], this);
            case "reference" or "references" or "listkeys" or "listaccountsas" or "listservicesas" or "list":
                return new ArmUnknown(call.Name + "(…)");
        }

        var args = call.Arguments.Select(Evaluate).ToList();
        if (name is not ("format" or "concat" or "guid" or "uniquestring" or "equals" or "empty" or "coalesce" or "createobject" or "createarray"
                or "union" or "resourceid" or "subscriptionresourceid" or "extensionresourceid")
            && args.OfType<ArmUnknown>().FirstOrDefault() is { } unknownArgument)
            return unknownArgument;

        switch (name)
        {
            case "parameters": return Parameter(AsString(args[0]));
            case "variables": return Variable(AsString(args[0]));
            case "lambdavariables":
                return _lambdaVariables.TryGetValue(AsString(args[0]), out var lambdaValue)
                    ? lambdaValue
                    : throw new InvalidOperationException($"No lambda variable '{args[0]}'.");
            case "copyindex": return CopyIndex(args);
            case "fail": throw new ArmFailException(AsString(args[0]));
            case "null": return null;
            case "true": return true;
            case "false": return false;
            case "string": return args[0] is string str ? str : ToText(args[0]);
            case "int": return args[0] is string si ? long.Parse(si, CultureInfo.InvariantCulture) : Convert.ToInt64(args[0], CultureInfo.InvariantCulture);
            case "bool": return args[0] is string sb ? bool.Parse(sb) : AsBool(args[0]);
            case "format": return Format(args);
            case "add": return AsLong(args[0]) + AsLong(args[1]);
            case "sub": return AsLong(args[0]) - AsLong(args[1]);
            case "mul": return AsLong(args[0]) * AsLong(args[1]);
            case "div": return AsLong(args[0]) / AsLong(args[1]);
            case "mod": return AsLong(args[0]) % AsLong(args[1]);
            case "concat":
                return args.All(a => a is List<object?>)
                    ? args.SelectMany(a => (List<object?>)a!).ToList()
                    : string.Concat(args.Select(ToText));
            case "not": return !AsBool(args[0]);
            case "and": return args.All(AsBool);
            case "or": return args.Any(AsBool);
            case "equals":
                if (args.Any(a => a is ArmUnknown)) return new ArmUnknown("equals(…)");
                return JsonEquals(args[0], args[1]);
            case "greater": return Compare(args[0], args[1]) > 0;
            case "greaterorequals": return Compare(args[0], args[1]) >= 0;
            case "less": return Compare(args[0], args[1]) < 0;
            case "lessorequals": return Compare(args[0], args[1]) <= 0;
            case "empty":
                return args[0] switch
                {
                    ArmUnknown u => u,
                    null => true,
                    string s => s.Length == 0,
                    List<object?> l => l.Count == 0,
                    Dictionary<string, object?> o => o.Count == 0,
                    _ => false,
                };
            case "length":
                return (long)(args[0] switch
                {
                    string s => s.Length,
                    List<object?> l => l.Count,
                    Dictionary<string, object?> o => o.Count,
                    _ => throw new InvalidOperationException("length() of " + Describe(args[0])),
                });
            case "contains":
                return args[0] switch
                {
                    string s => s.Contains(AsString(args[1]), StringComparison.Ordinal),
                    List<object?> l => l.Any(item => JsonEquals(item, args[1])),
                    Dictionary<string, object?> o => o.ContainsKey(AsString(args[1])),
                    _ => throw new InvalidOperationException("contains() in " + Describe(args[0])),
                };
            case "substring":
                var text = AsString(args[0]);
                var from = (int)AsLong(args[1]);
                return args.Count > 2 ? text.Substring(from, (int)AsLong(args[2])) : text[from..];
            case "startswith": return AsString(args[0]).StartsWith(AsString(args[1]), StringComparison.OrdinalIgnoreCase);
            case "endswith": return AsString(args[0]).EndsWith(AsString(args[1]), StringComparison.OrdinalIgnoreCase);
            case "tolower": return AsString(args[0]).ToLowerInvariant();
            case "toupper": return AsString(args[0]).ToUpperInvariant();
            case "replace": return AsString(args[0]).Replace(AsString(args[1]), AsString(args[2]), StringComparison.Ordinal);
            case "split": return AsString(args[0]).Split(AsString(args[1])).Cast<object?>().ToList();
            case "join": return string.Join(AsString(args[1]), ((List<object?>)args[0]!).Select(ToText));
            case "take":
                return args[0] is string ts ? ts[..Math.Min(ts.Length, (int)AsLong(args[1]))] : ((List<object?>)args[0]!).Take((int)AsLong(args[1])).ToList();
            case "skip":
                return args[0] is string ss ? ss[Math.Min(ss.Length, (int)AsLong(args[1]))..] : ((List<object?>)args[0]!).Skip((int)AsLong(args[1])).ToList();
            case "first": return args[0] is string fs ? fs[..1] : ((List<object?>)args[0]!).FirstOrDefault();
            case "last": return args[0] is string ls ? ls[^1..] : ((List<object?>)args[0]!).LastOrDefault();
            case "range": return Enumerable.Range((int)AsLong(args[0]), (int)AsLong(args[1])).Select(i => (object?)(long)i).ToList();
            case "map": return ((List<object?>)args[0]!).Select(item => Invoke(args[1], item)).ToList();
            case "filter": return ((List<object?>)args[0]!).Where(item => AsBool(Invoke(args[1], item))).ToList();
            case "createarray": return args.ToList();
            case "createobject":
                var created = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < args.Count; i += 2) created[AsString(args[i])] = args[i + 1];
                return created;
            case "union":
                if (args.Any(a => a is ArmUnknown)) return new ArmUnknown("union(…)");
                if (args.All(a => a is List<object?>))
                    return args.SelectMany(a => (List<object?>)a!).Distinct().ToList();
                var merged = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var o in args.Cast<Dictionary<string, object?>>())
                    foreach (var (key, value) in o) merged[key] = value;
                return merged;
            case "coalesce": return args.FirstOrDefault(a => a is not null);
            case "tryget":
                object? found = args[0];
                foreach (var key in args.Skip(1))
                {
                    found = found switch
                    {
                        Dictionary<string, object?> o => o.TryGetValue(AsString(key), out var v) ? v : null,
                        List<object?> l when key is long i => i < l.Count ? l[(int)i] : null,
                        _ => null,
                    };
                }
                return found;
            case "guid": return Guid(args);
            case "uniquestring": return UniqueString(args);
            case "resourceid": return ResourceId(args, withResourceGroup: true);
            case "subscriptionresourceid": return ResourceId(args, withResourceGroup: false);
            case "extensionresourceid": return $"{AsString(args[0])}/providers/{TypeAndNames(args.Skip(1).ToList())}";
            case "tenantresourceid": return $"/providers/{TypeAndNames(args)}";
            case "resourcegroup":
                return Object(("id", $"/subscriptions/{Environment.SubscriptionId}/resourceGroups/{ResourceGroup}"),
                    ("name", ResourceGroup), ("location", Environment.Location));
            case "subscription":
                return Object(("id", $"/subscriptions/{Environment.SubscriptionId}"), ("subscriptionId", Environment.SubscriptionId),
                    ("tenantId", Environment.TenantId));
            case "tenant": return Object(("tenantId", Environment.TenantId));
            case "deployment": return Object(("name", _shared.DeploymentName));
            case "environment":
                return Object(("name", "AzureCloud"), ("suffixes", Object(("storage", "core.windows.net"), ("keyvaultDns", ".vault.azure.net"))));
            default:
                throw new NotSupportedException($"The ARM function {call.Name}() is not supported by the test evaluator.");
        }
    }

    private object? CopyIndex(List<object?> args)
    {
        if (_copy is null)
            throw new InvalidOperationException("copyIndex() outside a copy loop.");
        var offset = args.OfType<long>().FirstOrDefault();
        if (args.FirstOrDefault() is string loop && !string.Equals(loop, _copy.Value.Name, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"copyIndex('{loop}') inside loop '{_copy.Value.Name}'.");
        return _copy.Value.Index + offset;
    }

    private object? Invoke(object? lambda, object? argument)
    {
        if (lambda is not ArmLambda l)
            throw new InvalidOperationException("Expected a lambda, got " + Describe(lambda));
        var context = new ArmContext(l.Context._shared, l.Context._copy, l.Context._lambdaVariables.SetItem(l.Names[0], argument));
        return context.Evaluate(l.Body);
    }

    private static string Format(List<object?> args)
    {
        var values = args.Skip(1).Select(a => (object)ToText(a)).ToArray();
        return string.Format(CultureInfo.InvariantCulture, ToText(args[0]), values);
    }

    private string ResourceId(List<object?> args, bool withResourceGroup)
    {
        var typeAt = args.FindIndex(a => a is string s && s.Contains('/'));
        var subscription = typeAt >= (withResourceGroup ? 2 : 1) ? AsString(args[0]) : Environment.SubscriptionId;
        var group = withResourceGroup ? (typeAt >= 1 ? AsString(args[typeAt - 1]) : ResourceGroup) : null;
        var prefix = group is null ? $"/subscriptions/{subscription}" : $"/subscriptions/{subscription}/resourceGroups/{group}";
        return $"{prefix}/providers/{TypeAndNames(args.Skip(typeAt).ToList())}";
    }

    private static string TypeAndNames(List<object?> args)
    {
        var type = AsString(args[0]).Split('/');
        var names = args.Skip(1).Select(ToText).ToList();
        var id = new StringBuilder(type[0]);
        for (var i = 1; i < type.Length; i++)
            id.Append('/').Append(type[i]).Append('/').Append(i - 1 < names.Count ? names[i - 1] : ArmUnknown.Marker);
        return id.ToString();
    }

    private static string Guid(List<object?> args)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', args.Select(ToText))));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static string UniqueString(List<object?> args)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', args.Select(ToText))));
        return new string(hash.Take(13).Select(b => alphabet[b % 32]).ToArray());
    }

    private static Dictionary<string, object?> Object(params (string Key, object? Value)[] properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new InvalidOperationException($"Cannot compare {Describe(a)} and {Describe(b)}."),
    };

    public static bool JsonEquals(object? a, object? b) => ToJson(a) == ToJson(b);

    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        ArmUnknown => ArmUnknown.Marker,
        _ => ToJson(value),
    };

    /// <summary>The value as compact JSON, with object keys in order (for comparisons and messages).</summary>
    public static string ToJson(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        ArmUnknown => JsonSerializer.Serialize(ArmUnknown.Marker),
        List<object?> l => "[" + string.Join(",", l.Select(ToJson)) + "]",
        Dictionary<string, object?> o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Key) + ":" + ToJson(p.Value))) + "}",
        ArmLambda => "\"lambda\"",
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    private static bool AsBool(object? value) => value is bool b ? b : throw new InvalidOperationException("Expected a bool, got " + Describe(value));
    private static long AsLong(object? value) => value is long l ? l : throw new InvalidOperationException("Expected an integer, got " + Describe(value));
    private static string AsString(object? value) => value is string s ? s : throw new InvalidOperationException("Expected a string, got " + Describe(value));
    private static string Describe(object? value) => value is null ? "null" : $"{value.GetType().Name} {ToText(value)}";

    private sealed class Shared(JsonObject template, IReadOnlyDictionary<string, object?> supplied, ArmEnvironment environment,
        string? resourceGroup, string deploymentName)
    {
        public JsonObject Template { get; } = template;
        public IReadOnlyDictionary<string, object?> Supplied { get; } =
            new Dictionary<string, object?>(supplied, StringComparer.OrdinalIgnoreCase);
        public ArmEnvironment Environment { get; } = environment;
        public string? ResourceGroup { get; } = resourceGroup;
        public string DeploymentName { get; } = deploymentName;
        public Dictionary<string, object?> ParameterValues { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, object?> VariableValues { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> Evaluating { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
