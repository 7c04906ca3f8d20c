using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Finsam.Pipeline.Configuration;

/// <summary>
/// The configuration every host reads its settings from, in one shape: the host's own configuration, under it the earlier
/// names (<see cref="FinsamSettings.LegacyNames"/>) written as their new names, over it the top-level names shared with a
/// Functions binding expression (<c>BUILD_SCHEDULE</c>, <c>RELEASE_SCHEDULE</c>) written as their settings' keys (their
/// defaults when not set: the Functions timers read only the top-level names, and both hosts must agree). Settings are
/// then bound as <see cref="FinsamOptions"/>, and nothing reads a name of its own.
/// </summary>
public static class FinsamConfiguration
{
    public static IConfiguration WithSharedAndEarlierNames(IConfiguration configuration) =>
        new ConfigurationBuilder()
            .Add(new Source(configuration, EarlierNames))
            .AddConfiguration(configuration, shouldDisposeConfiguration: false)
            .Add(new Source(configuration, SharedNames))
            .Build();

    /// <summary>Each earlier name that is set, under its new name.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> EarlierNames(IConfiguration configuration) =>
        from pair in FinsamSettings.LegacyNames
        let value = configuration[pair.Key]
        where !string.IsNullOrWhiteSpace(value)
        select KeyValuePair.Create(pair.Value.Replace("__", ":", StringComparison.Ordinal), (string?)value);

    /// <summary>Each setting read from a top-level name, under its key in the section: the name's value, or the default.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> SharedNames(IConfiguration configuration)
    {
        var defaults = new FinsamOptions();
        foreach (var group in typeof(FinsamOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        foreach (var setting in group.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (setting.GetCustomAttribute<TopLevelSettingAttribute>() is not { } topLevel) continue;
            var value = configuration[topLevel.Name];
            yield return KeyValuePair.Create($"{FinsamOptions.SectionName}:{group.Name}:{setting.Name}",
                string.IsNullOrWhiteSpace(value) ? setting.GetValue(group.GetValue(defaults))?.ToString() : value);
        }
    }

    private sealed class Source(IConfiguration configuration, Func<IConfiguration, IEnumerable<KeyValuePair<string, string?>>> values) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(configuration, values);
    }

    private sealed class Provider(IConfiguration configuration, Func<IConfiguration, IEnumerable<KeyValuePair<string, string?>>> values) : ConfigurationProvider
    {
        public override void Load() => Data = values(configuration).ToDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
