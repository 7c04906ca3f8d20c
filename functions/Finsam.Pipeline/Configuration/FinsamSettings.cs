using System.Linq.Expressions;
using System.Reflection;
using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Configuration;

/// <summary>
/// The names of every setting the pipeline reads, as app settings and environment variables write them
/// (<c>:</c> as <c>__</c>). One list for the hosts, the docs and the infrastructure test, which checks that the
/// app settings Bicep sets are among them.
/// </summary>
public static class FinsamSettings
{
    /// <summary>
    /// The storage connection, shared by the core and the Functions blob trigger: a connection string
    /// (<c>UseDevelopmentStorage=true</c> for Azurite) or, for a managed identity, <c>FinsamStorage__blobServiceUri</c>,
    /// <c>__queueServiceUri</c>, <c>__credential</c> (<c>managedidentity</c>) and <c>__clientId</c>.
    /// </summary>
    public const string StorageConnection = "FinsamStorage";

    /// <summary>The schedule of build-and-publish, a six-field NCRONTAB expression; the timer trigger reads <c>%BUILD_SCHEDULE%</c>.</summary>
    public const string BuildSchedule = "BUILD_SCHEDULE";

    /// <summary>The calendar of member releases (the <c>kpi</c> dataset), a six-field NCRONTAB expression; the release timer reads <c>%RELEASE_SCHEDULE%</c>.</summary>
    public const string ReleaseSchedule = "RELEASE_SCHEDULE";

    /// <summary>The parts of an identity-based <see cref="StorageConnection"/>.</summary>
    public static IReadOnlyList<string> StorageConnectionParts { get; } = ["blobServiceUri", "queueServiceUri", "credential", "clientId"];

    /// <summary>
    /// Earlier names, still read when the new one is not set (docs: README, Configuration): the one place they are read is
    /// the configuration source <see cref="FinsamConfiguration"/> adds below every other, under their new names.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LegacyNames { get; } = new Dictionary<string, string>
    {
        [PseudonymKeyException.EnvironmentVariable] = PseudonymKeyException.SettingName,
        ["FINSAM_STORAGE"] = EnvironmentName(o => o.Storage.LocalFolder),
        ["FINSAM_STORAGE_CONNECTION_STRING"] = StorageConnection,
        ["FINSAM_STORAGE_ACCOUNT_URL"] = StorageConnection + "__blobServiceUri",
    };

    /// <summary>
    /// The configuration key of a setting of <see cref="FinsamOptions"/>, derived from the options themselves:
    /// <c>Key(o =&gt; o.Models.QueriesFolder)</c> is <c>Finsam:Models:QueriesFolder</c>; a setting read from a top-level name
    /// (<see cref="TopLevelSettingAttribute"/>) is that name. Hosts that overlay their flags on the configuration use it.
    /// </summary>
    public static string Key<T>(Expression<Func<FinsamOptions, T>> setting)
    {
        var path = new List<PropertyInfo>();
        for (var e = setting.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : setting.Body;
             e is MemberExpression { Member: PropertyInfo property } member; e = member.Expression)
            path.Insert(0, property);
        if (path.Count != 2)
            throw new ArgumentException($"'{setting}' is not a setting of {nameof(FinsamOptions)} (o => o.Group.Setting).", nameof(setting));
        return path[1].GetCustomAttribute<TopLevelSettingAttribute>() is { } topLevel
            ? topLevel.Name
            : $"{FinsamOptions.SectionName}:{path[0].Name}:{path[1].Name}";
    }

    /// <summary>The name of a setting as app settings and environment variables write it (<c>Finsam__Models__QueriesFolder</c>).</summary>
    public static string EnvironmentName<T>(Expression<Func<FinsamOptions, T>> setting) => Key(setting).Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Every setting name the pipeline reads, in app-setting form, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        StorageConnection,
        .. StorageConnectionParts.Select(p => $"{StorageConnection}__{p}"),
        .. TopLevelNames(),
        .. OptionNames(),
    ];

    /// <summary>Settings read from a top-level name shared with a Functions binding expression (BUILD_SCHEDULE, RELEASE_SCHEDULE).</summary>
    private static IEnumerable<string> TopLevelNames() =>
        from @group in typeof(FinsamOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        from setting in @group.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        let topLevel = setting.GetCustomAttribute<TopLevelSettingAttribute>()
        where topLevel is not null
        select topLevel.Name;

    /// <summary><c>Finsam__{Group}__{Setting}</c> for every setting of <see cref="FinsamOptions"/> bound from its section.</summary>
    private static IEnumerable<string> OptionNames() =>
        from @group in typeof(FinsamOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        from setting in @group.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where setting.CanWrite && setting.GetCustomAttribute<TopLevelSettingAttribute>() is null
        select $"{FinsamOptions.SectionName}__{@group.Name}__{setting.Name}";
}

/// <summary>A setting read from a top-level name shared with a Functions binding expression, not from the <c>Finsam</c> section.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TopLevelSettingAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
