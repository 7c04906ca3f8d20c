using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Disclosure;

namespace Finsam.Pipeline.Configuration;

/// <summary>
/// Every setting of the pipeline, bound from the configuration section <c>Finsam</c> (environment variables and
/// app settings write <c>Finsam__Models__MemoryLimit</c>) and validated when a host starts. Storage itself is the
/// connection <c>FinsamStorage</c> (<see cref="FinsamSettings.StorageConnection"/>); with no connection the local
/// folder <see cref="StorageSettings.LocalFolder"/> is used.
/// </summary>
public sealed class FinsamOptions
{
    public const string SectionName = "Finsam";

    public StorageSettings Storage { get; set; } = new();
    public ModelSettings Models { get; set; } = new();
    public PublishingSettings Publishing { get; set; } = new();
    public PrivacySettings Privacy { get; set; } = new();
    public LimitSettings Limits { get; set; } = new();
    public LocalHostSettings LocalHost { get; set; } = new();
    public ReadApiSettings Api { get; set; } = new();
}

/// <summary>The embedded default storage, used when the connection <c>FinsamStorage</c> is not set.</summary>
public sealed class StorageSettings
{
    public const string DefaultLocalFolder = "./finsam-data";

    /// <summary>The local folder that holds the containers (landing/, raw/, curated/ …); empty: <see cref="DefaultLocalFolder"/>.</summary>
    public string? LocalFolder { get; set; }

    /// <summary>Attempts of a storage call that fails for a transient reason, within one ingestion, before the failure is passed on.</summary>
    public int TransientAttempts { get; set; } = 4;

    /// <summary>The wait before the first retry; it doubles with each further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>How the SQL models are built (DuckDB).</summary>
public sealed class ModelSettings
{
    public const string DefaultMemoryLimit = "512MB";

    /// <summary>The SQL project; empty: the queries/ shipped with the host, or found above the current folder.</summary>
    public string? QueriesFolder { get; set; }

    /// <summary>The local cache of curated data and DuckDB's temporary files; empty: finsam-work in the system temp folder.</summary>
    public string? WorkFolder { get; set; }

    /// <summary>DuckDB's memory limit, e.g. 512MB or 2GB.</summary>
    public string MemoryLimit { get; set; } = DefaultMemoryLimit;

    /// <summary>DuckDB's worker threads; empty: one per core.</summary>
    public int? Threads { get; set; }
}

/// <summary>Publishing of versions, the members' release calendar, and retention.</summary>
public sealed class PublishingSettings
{
    public const string DefaultBuildSchedule = "0 */10 * * * *";

    /// <summary>06:00 UTC on the 15th of every month: a few days after the federations deliver the previous month (by the 10th).</summary>
    public const string DefaultReleaseSchedule = "0 0 6 15 * *";

    /// <summary>
    /// When build-and-publish runs: a six-field NCRONTAB expression (second minute hour day month weekday), read from the
    /// top-level setting <c>BUILD_SCHEDULE</c> (<see cref="FinsamSettings.BuildSchedule"/>), which the Functions timer uses too.
    /// </summary>
    [TopLevelSetting(FinsamSettings.BuildSchedule)]
    public string BuildSchedule { get; set; } = DefaultBuildSchedule;

    /// <summary>
    /// When a member release of the <c>kpi</c> dataset is cut: a six-field NCRONTAB expression read from the top-level
    /// setting <c>RELEASE_SCHEDULE</c> (<see cref="FinsamSettings.ReleaseSchedule"/>), which the Functions release timer uses
    /// too. Members' files change only on this calendar, so two consecutive releases cannot isolate one person's correction.
    /// </summary>
    [TopLevelSetting(FinsamSettings.ReleaseSchedule)]
    public string ReleaseSchedule { get; set; } = DefaultReleaseSchedule;

    /// <summary>Retention: keep at least the last N versions of each dataset; empty: keep all.</summary>
    public int? KeepLast { get; set; }

    /// <summary>Retention: keep versions younger than D days; empty: keep all.</summary>
    public int? KeepDays { get; set; }

    public const int DefaultDeliveryDueDay = 10;

    /// <summary>
    /// The day of the month by which every federation has delivered the month before (an accepted file for it); from this
    /// day on, the Functions app's daily delivery check warns of each one that has not.
    /// </summary>
    public int DeliveryDueDay { get; set; } = DefaultDeliveryDueDay;

    /// <summary>
    /// Which years' participant counts a member release publishes (docs/publishing.md, "Two calendars"): every year's, the
    /// running year to date included (<see cref="ParticipantYears.YearToDate"/>, the default), or only the years that are
    /// complete (<see cref="ParticipantYears.CompleteYears"/>), so that a month of 1 to 4 participants cannot hide a year's
    /// total for good. The controller's choice; money is published either way. Written as the choice's name
    /// (<c>YearToDate</c>, <c>CompleteYears</c>), so that a wrong one is named with what is expected when a host starts.
    /// </summary>
    public string ParticipantYears { get; set; } = nameof(Disclosure.ParticipantYears.YearToDate);

    /// <summary>The choice of <see cref="ParticipantYears"/> (validated when a host starts).</summary>
    public ParticipantYears ParticipantYearsChoice => Enum.Parse<ParticipantYears>(ParticipantYears.Trim(), ignoreCase: true);
}

/// <summary>Secrets for privacy. Comes from configuration (Key Vault in Azure), never from the repository.</summary>
public sealed class PrivacySettings
{
    /// <summary>Base64 key of at least 32 bytes for the HMAC-SHA-256 pseudonyms. Required to ingest participant files.</summary>
    public string? PseudonymKey { get; set; }

    public const int DefaultOriginalsYears = 1;

    /// <summary>
    /// How long the originals that may hold identity numbers — participant exports in raw/, and every rejected file in
    /// quarantine/ — are kept: through this many years after their month's year (1: a file for March 2025 is kept through
    /// 2026 and deleted in January 2027). The controller's decision, with the data protection officer (100 keeps them).
    /// </summary>
    public int OriginalsYears { get; set; } = DefaultOriginalsYears;
}

/// <summary>Limits a hostile file cannot break (docs/data-contract.md, "Limits").</summary>
public sealed class LimitSettings
{
    /// <summary>
    /// 25 MB: twice the benchmark's month of 200 000 transactions, a hundred times a large federation's real export; at this size
    /// two ingestions at once and a warm model build fit a 2 GB Flex Consumption instance (docs/benchmarks.md, "Sizing").
    /// </summary>
    public const long DefaultMaxFileBytes = 25L * 1024 * 1024;
    public const int DefaultMaxLineLength = TextLimits.DefaultMaxLineLength;
    public const int DefaultMaxFieldLength = TextLimits.DefaultMaxFieldLength;

    /// <summary>The largest landing file accepted; a larger one is quarantined from its properties, unread.</summary>
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;

    /// <summary>The longest line of a text file, in characters.</summary>
    public int MaxLineLength { get; set; } = DefaultMaxLineLength;

    /// <summary>The longest field of a line, in characters.</summary>
    public int MaxFieldLength { get; set; } = DefaultMaxFieldLength;

    /// <summary>The line and field limits, as the parsers take them.</summary>
    public TextLimits Text => new(MaxLineLength, MaxFieldLength);
}

/// <summary>The local host (<c>finsam host</c>): how often it looks in landing and how often it tries a file.</summary>
public sealed class LocalHostSettings
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(30);
    public const int DefaultMaxAttempts = 5;

    /// <summary>How often landing is listed (e.g. 00:00:30).</summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>Attempts for a file that fails for a transient reason before it is recorded as failed (the Functions poisonBlobThreshold).</summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;
}

/// <summary>The members' read API as <c>finsam api</c> serves it (the Functions app keeps its function keys in Azure).</summary>
public sealed class ReadApiSettings
{
    /// <summary>
    /// The members' keys, comma-separated (a secret: from the environment, <c>Finsam__Api__Keys</c>, never the repository).
    /// A request gives its key as <c>code=</c> or in the header <c>x-functions-key</c>, as the Functions app takes them.
    /// Empty: no key is asked for, which <c>finsam api</c> allows on a loopback address only.
    /// </summary>
    public string? Keys { get; set; }

    /// <summary>
    /// How many megabytes of answers <c>finsam api</c> keeps by release and URL (<c>Finsam__Api__AnswerCacheMegabytes</c>);
    /// 0 keeps none.
    /// </summary>
    public int AnswerCacheMegabytes { get; set; } = 64;

    /// <summary>The keys, each trimmed; empty when none is set.</summary>
    public IReadOnlyList<string> KeyList() => (Keys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
