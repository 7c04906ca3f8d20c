using System.Reflection;

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

    /// <summary>Earlier names, still read when the new one is not set (docs: README, Configuration).</summary>
    public static IReadOnlyDictionary<string, string> LegacyNames { get; } = new Dictionary<string, string>
    {
        ["FINSAM_PSEUDONYM_KEY"] = "Finsam__Privacy__PseudonymKey",
        ["FINSAM_STORAGE"] = "Finsam__Storage__LocalFolder",
        ["FINSAM_STORAGE_CONNECTION_STRING"] = StorageConnection,
        ["FINSAM_STORAGE_ACCOUNT_URL"] = StorageConnection + "__blobServiceUri",
    };

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
