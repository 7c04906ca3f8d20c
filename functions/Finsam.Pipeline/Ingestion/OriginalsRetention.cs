using System.Globalization;
using Finsam.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace Finsam.Pipeline.Ingestion;

/// <summary>What one pass of <see cref="OriginalsRetention"/> deleted: blob names in raw/ and in quarantine/.</summary>
public sealed record RetentionPass(IReadOnlyList<string> Raw, IReadOnlyList<string> Quarantine);

/// <summary>
/// Retention of the originals that may hold identity numbers, through <see cref="Configuration.PrivacySettings.OriginalsYears"/>
/// years after their month's year:
/// - in raw/, the originals of participant exports and of files whose kind could not be told (the ingestion log names each
///   original's family and month); ledgers and volume counts hold no person and are kept;
/// - in quarantine/, every rejected file (its month from its folder); the reports, which name no person, stay.
/// A month that could not be read ("unknown") counts from the year the file came in. Curated data and published versions
/// hold pseudonyms, not identity numbers, and follow the versions' own retention.
/// </summary>
public sealed class OriginalsRetention(IBlobStore store, TimeProvider clock)
{
    /// <summary>
    /// What each host logs after a pass: the counts of originals deleted from raw/ and quarantine/, and the years. Counts only:
    /// a rejected file's name is the federation's, and may hold an identity number.
    /// </summary>
    private const string LogTemplate = "Retention of originals: {Raw} original(s) deleted from raw/ and {Quarantine} rejected file(s) from quarantine/, kept through {Years} year(s) after their month's year";

    /// <summary>
    /// The index tag on every original that may hold identity numbers (participant exports and files of no known kind in
    /// raw/, every rejected file in quarantine/), written at archiving: the storage account's lifecycle rule
    /// <c>expire-personal-originals</c> (infra/modules/storage.bicep) deletes tagged blobs when this retention has not, a
    /// backstop should the nightly job stop running.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PersonalTag { get; } = new Dictionary<string, string> { ["finsam-personal"] = "yes" };

    private static readonly string[] PersonalFamilies = [FileKind.Participants.Family(), FileKind.Unknown.Family()];

    /// <summary>One pass, logged as every host logs it (<see cref="LogTemplate"/>).</summary>
    public async Task<RetentionPass> ApplyAndLogAsync(int years, ILogger logger, CancellationToken ct = default)
    {
        var pass = await ApplyAsync(years, ct);
        logger.LogInformation(LogTemplate, pass.Raw.Count, pass.Quarantine.Count, years);
        return pass;
    }

    public async Task<RetentionPass> ApplyAsync(int years, CancellationToken ct = default)
    {
        var thisYear = clock.GetUtcNow().Year;
        bool Expired(int monthYear) => monthYear + years < thisYear;

        var raw = new List<string>();
        var entries = await new IngestionLog(store).AllPartitionEntriesAsync(ct);
        // An original goes only when every entry of its bytes is personal and expired: the same bytes rejected once as of
        // unknown kind and later accepted as a ledger stay, as does a file still within its time for another month.
        foreach (var original in entries.Where(e => e.Entry.Sha256.Length == 64).GroupBy(e => e.Entry.Sha256))
        {
            if (!original.All(e => PersonalFamilies.Contains(e.Entry.Family) && Expired(YearOf(e.Period) ?? e.Entry.IngestedAt.Year))) continue;
            if (await store.DeleteAsync(Containers.Raw, original.Key, ct: ct)) raw.Add(original.Key);
        }

        var quarantine = new List<string>();
        var rejected = new List<BlobInfo>();
        await foreach (var blob in store.ListAsync(Containers.Quarantine, "", ct))
            if (!blob.Name.EndsWith(".report.json", StringComparison.Ordinal) && !blob.Name.EndsWith(".report.txt", StringComparison.Ordinal))
                rejected.Add(blob);
        foreach (var blob in rejected.Where(b => Expired(YearOf(b.Name.Split('/').ElementAtOrDefault(1)) ?? b.LastModified.Year)))
            if (await store.DeleteAsync(Containers.Quarantine, blob.Name, blob.ETag, ct)) quarantine.Add(blob.Name);
        return new RetentionPass(raw, quarantine);
    }

    private static int? YearOf(string? period) =>
        period is { Length: 7 } && DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month.Year
            : null;
}
