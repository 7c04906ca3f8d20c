using System.Text.RegularExpressions;
using Cronos;
using Finsam.Pipeline.Privacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Configuration;

/// <summary>
/// Checks the settings when a host starts, with messages that name the setting as it is written in app settings
/// and environment variables, its value (never a secret's) and what is expected.
/// </summary>
public sealed partial class FinsamOptionsValidator(IConfiguration configuration) : IValidateOptions<FinsamOptions>
{
    public ValidateOptionsResult Validate(string? name, FinsamOptions options)
    {
        var problems = new List<string>();
        CheckStorage(options.Storage, problems);
        CheckModels(options.Models, problems);
        CheckPublishing(options.Publishing, problems);
        CheckPrivacy(options.Privacy, problems);
        CheckLimits(options.Limits, problems);
        CheckLocalHost(options.LocalHost, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private void CheckStorage(StorageSettings storage, List<string> problems)
    {
        try
        {
            StorageConnection.Read(configuration);
        }
        catch (FinsamConfigurationException e)
        {
            problems.Add(e.Message);
        }
        if (storage.TransientAttempts < 1) problems.Add(Setting(o => o.Storage.TransientAttempts, storage.TransientAttempts, "must be at least 1"));
        if (storage.RetryDelay < TimeSpan.Zero) problems.Add(Setting(o => o.Storage.RetryDelay, storage.RetryDelay, "must not be negative (e.g. 00:00:01)"));
    }

    private static void CheckModels(ModelSettings models, List<string> problems)
    {
        if (!MemorySize().IsMatch(models.MemoryLimit))
            problems.Add(Setting(o => o.Models.MemoryLimit, models.MemoryLimit, "is not a size such as 512MB or 2GB"));
        if (models.Threads is < 1) problems.Add(Setting(o => o.Models.Threads, models.Threads, "must be at least 1 (or empty: one per core)"));
        if (!string.IsNullOrWhiteSpace(models.QueriesFolder) && !File.Exists(Path.Combine(models.QueriesFolder, ShippedFolders.QueriesMarker)))
            problems.Add(Setting(o => o.Models.QueriesFolder, models.QueriesFolder, $"is not the SQL project: it has no {ShippedFolders.QueriesMarker}"));
        else if (string.IsNullOrWhiteSpace(models.QueriesFolder) && ShippedFolders.Queries() is null)
            problems.Add($"{FinsamSettings.EnvironmentName(o => o.Models.QueriesFolder)} is not set, and the SQL project (queries/) is neither beside the program nor above the current folder.");
    }

    private static void CheckPublishing(PublishingSettings publishing, List<string> problems)
    {
        if (!TryParseSchedule(publishing.BuildSchedule, out _))
            problems.Add($"{FinsamSettings.BuildSchedule} ('{publishing.BuildSchedule}') is not a six-field NCRONTAB expression " +
                         $"(second minute hour day month weekday), e.g. '{PublishingSettings.DefaultBuildSchedule}' for every 10 minutes.");
        if (!TryParseSchedule(publishing.ReleaseSchedule, out _))
            problems.Add($"{FinsamSettings.ReleaseSchedule} ('{publishing.ReleaseSchedule}') is not a six-field NCRONTAB expression " +
                         $"(second minute hour day month weekday), e.g. '{PublishingSettings.DefaultReleaseSchedule}' for 06:00 UTC on the 15th of every month.");
        if (publishing.KeepLast is < 1) problems.Add(Setting(o => o.Publishing.KeepLast, publishing.KeepLast, "must be at least 1 (or empty: keep all)"));
        if (publishing.KeepDays is < 0) problems.Add(Setting(o => o.Publishing.KeepDays, publishing.KeepDays, "must be at least 0 (or empty: keep all)"));
        if (publishing.DeliveryDueDay is < 1 or > 28)
            problems.Add(Setting(o => o.Publishing.DeliveryDueDay, publishing.DeliveryDueDay, "must be a day of the month from 1 to 28"));
        if (!Enum.GetNames<ParticipantYears>().Contains(publishing.ParticipantYears?.Trim(), StringComparer.OrdinalIgnoreCase))
            problems.Add(Setting(o => o.Publishing.ParticipantYears, publishing.ParticipantYears,
                $"must be {nameof(ParticipantYears.YearToDate)} (every year's participant counts, the running year to date included) or " +
                $"{nameof(ParticipantYears.CompleteYears)} (a year's participant counts once the year is complete)"));
    }

    private static void CheckPrivacy(PrivacySettings privacy, List<string> problems)
    {
        if (privacy.OriginalsYears is < 0 or > 100)
            problems.Add(Setting(o => o.Privacy.OriginalsYears, privacy.OriginalsYears, "must be from 0 to 100 years (100 keeps the originals)"));
        if (string.IsNullOrWhiteSpace(privacy.PseudonymKey)) return; // required only where participant files are ingested
        try
        {
            Pseudonymizer.FromBase64(privacy.PseudonymKey);
        }
        catch (PseudonymKeyException e)
        {
            // The key's value is never repeated in a message.
            problems.Add($"{FinsamSettings.EnvironmentName(o => o.Privacy.PseudonymKey)} is not usable: {e.Message}");
        }
    }

    private static void CheckLimits(LimitSettings limits, List<string> problems)
    {
        if (limits.MaxFileBytes < 1024) problems.Add(Setting(o => o.Limits.MaxFileBytes, limits.MaxFileBytes, "must be at least 1024 bytes"));
        if (limits.MaxLineLength < 256) problems.Add(Setting(o => o.Limits.MaxLineLength, limits.MaxLineLength, "must be at least 256 characters"));
        if (limits.MaxFieldLength < 64 || limits.MaxFieldLength > limits.MaxLineLength)
            problems.Add(Setting(o => o.Limits.MaxFieldLength, limits.MaxFieldLength, $"must be between 64 and {FinsamSettings.EnvironmentName(o => o.Limits.MaxLineLength)} ({limits.MaxLineLength})"));
    }

    private static void CheckLocalHost(LocalHostSettings host, List<string> problems)
    {
        if (host.PollInterval <= TimeSpan.Zero) problems.Add(Setting(o => o.LocalHost.PollInterval, host.PollInterval, "must be positive (e.g. 00:00:30)"));
        if (host.MaxAttempts < 1) problems.Add(Setting(o => o.LocalHost.MaxAttempts, host.MaxAttempts, "must be at least 1"));
    }

    public static bool TryParseSchedule(string? expression, out CronExpression? schedule)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression)) return false;
        return CronExpression.TryParse(expression, CronFormat.IncludeSeconds, out schedule);
    }

    /// <summary>The app-setting form of a setting of the Finsam section, e.g. Finsam__Models__MemoryLimit.</summary>
    private static string Setting<T>(System.Linq.Expressions.Expression<Func<FinsamOptions, T>> setting, object? value, string problem) =>
        $"{FinsamSettings.EnvironmentName(setting)} ('{value}') {problem}.";

    [GeneratedRegex(@"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex MemorySize();
}

/// <summary>A setting that is missing or wrong, in words a controller can act on.</summary>
public sealed class FinsamConfigurationException(string message) : FixableException(message);
