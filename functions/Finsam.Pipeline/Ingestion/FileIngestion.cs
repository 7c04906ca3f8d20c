using System.Security.Cryptography;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Landing;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Reference;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Ingestion;

/// <summary>
/// Moves one file from landing to curated Parquet or to quarantine, losing nothing:
/// <list type="number">
/// <item>the original is archived in raw/{sha256} before anything else;</item>
/// <item>the same bytes as the file already in place for that federation, month and kind are a no-op;</item>
/// <item>a valid file replaces its month's partitions, each written atomically;</item>
/// <item>a file with any error is copied to quarantine/ with a JSON and a text report, and nothing of it is curated;</item>
/// <item>every outcome is written to the ingestion_log data set;</item>
/// <item>the landing file is deleted only if it is still the version that was read (If-Match),
/// so a file dropped again meanwhile waits for the next run.</item>
/// </list>
/// </summary>
internal sealed class FileIngestion(IBlobStore store, Pseudonymizer pseudonymizer, TimeProvider clock, long maxFileBytes, TextLimits? textLimits = null)
{
    private readonly TimeProvider _clock = clock;

    /// <summary>The largest landing file that is read; a larger one is quarantined unread.</summary>
    public long MaxFileBytes => maxFileBytes;
    private readonly IngestionLog _log = new(store);

    public async Task<FileOutcome> IngestAsync(BlobInfo landingBlob, FederationRegistry federations, CancellationToken ct = default)
    {
        if (landingBlob.Length > maxFileBytes) return await RejectOversizeAsync(landingBlob, federations, ct);
        BlobContent? content;
        try
        {
            // Only the version that was listed and checked against the size limit: a newer one is processed on its own.
            content = await store.ReadVersionAsync(Containers.Landing, landingBlob.Name, landingBlob.ETag, ct);
        }
        catch (BlobNotFoundException)
        {
            // Another ingester took it between listing and reading.
            return FileOutcome.NothingDone(landingBlob.Name, FileStatus.Changed, "The file left landing before it was read (processed by another run).");
        }
        catch (BlobConditionFailedException)
        {
            return FileOutcome.NothingDone(landingBlob.Name, FileStatus.Changed,
                "A newer version of the file arrived after it was listed; that version is processed on its own.");
        }
        var readETag = content.Info.ETag;
        // The bytes are held only until they are archived and checked: a large file's bytes are not kept while its
        // Parquet is encoded, and a quarantined copy is made from the archive (docs/benchmarks.md, peak memory).
        byte[]? bytes = content.Bytes;
        content = null;
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await ArchiveAsync(sha, bytes, ct);
        // Participant exports and files of no known kind may hold identity numbers: tagged for the lifecycle rule that
        // deletes them when the nightly retention has not (OriginalsRetention.PersonalTag).
        var kind = FileKindDetector.Detect(bytes);
        if (kind is FileKind.Participants or FileKind.Unknown)
            await store.SetTagsAsync(Containers.Raw, sha, OriginalsRetention.PersonalTag, ct);

        var now = _clock.GetUtcNow();
        var (path, problemSv, problemEn) = LandingPath.Parse(landingBlob.Name, federations);
        FileOutcome? outcome;
        if (path is null)
        {
            bytes = null;
            var report = new ValidationReport();
            report.Error("landing_path", null, "path", landingBlob.Name, problemSv!, problemEn!);
            // Always reported: the problem is where the file was put, whatever its bytes.
            outcome = await RejectAsync(landingBlob, sha, null, FileKind.Unknown, null, report, now, ct);
        }
        else
        {
            var federation = federations.Find(path.FederationId)!;
            outcome = await DuplicateOrNullAsync(path.FederationId, path.Period.ToString(), kind, sha, landingBlob, now, ct);
            if (outcome is null)
            {
                // A volume export's interventions are checked against reference/insatser.csv, read when one arrives.
                var knownInsatser = kind == FileKind.Volumes ? (await InsatsRegistry.LoadAsync(store, ct)).For(path.FederationId) : null;
                var validated = FileValidator.Validate(bytes, path.Period, federation.OrgNr, knownInsatser, textLimits);
                bytes = null;
                outcome = validated.IsValid
                    ? await AcceptAsync(landingBlob, sha, path, validated, now, ct)
                    : await RejectAsync(landingBlob, sha, path, validated.Kind, validated.Encoding, validated.Report, now, ct);
            }
        }

        try
        {
            await store.DeleteAsync(Containers.Landing, landingBlob.Name, readETag, ct);
        }
        catch (BlobConditionFailedException)
        {
            outcome = outcome with { Message = outcome.Message + " A newer file with the same name arrived meanwhile; it stays in landing for the next run." };
        }
        return outcome;
    }

    /// <summary>
    /// A file larger than <see cref="MaxFileBytes"/> is never read into memory: it is copied to quarantine inside the store
    /// (server-side in Azure), with a report, and then removed from landing if it is still that version.
    /// </summary>
    private async Task<FileOutcome> RejectOversizeAsync(BlobInfo blob, FederationRegistry federations, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var (path, _, _) = LandingPath.Parse(blob.Name, federations);
        var report = new ValidationReport();
        report.Error("file_too_large", null, "size", $"{blob.Length} bytes",
            $"Filen är {Size(blob.Length)}; den största fil som tas emot är {Size(maxFileBytes)}. Dela upp exporten per månad eller kontakta controllern.",
            $"The file is {Size(blob.Length)}; the largest file accepted is {Size(maxFileBytes)}. Export one month per file, or ask the controller.");
        var federation = path?.FederationId ?? CuratedLayout.Unknown;
        var period = path?.Period.ToString() ?? CuratedLayout.Unknown;
        var fileName = SafeFileName(BlobName.FileName(blob.Name));
        var baseName = $"{federation}/{period}/{now:yyyyMMdd'T'HHmmss'Z'}_unread_{IngestionLog.Nonce()}_{fileName}";
        try
        {
            await store.CopyAsync(Containers.Landing, blob.Name, Containers.Quarantine, baseName, blob.ETag, ct);
            await store.SetTagsAsync(Containers.Quarantine, baseName, OriginalsRetention.PersonalTag, ct);
        }
        catch (Exception e) when (e is BlobNotFoundException or BlobConditionFailedException)
        {
            return FileOutcome.NothingDone(blob.Name, FileStatus.Changed,
                "The file changed or left landing before it was quarantined; its newer version is processed on its own.",
                federationId: path?.FederationId, period: path?.Period.ToString());
        }
        var rejection = RejectionReport.Create(fileName, FreeTextMasker.Masked(blob.Name), "", path?.FederationId, path?.Period.ToString(), FileKind.Unknown, blob.LastModified, now, report);
        await store.WriteAsync(Containers.Quarantine, baseName + ".report.json", rejection.ToJson(), WriteCondition.Overwrite, ct);
        await store.WriteAsync(Containers.Quarantine, baseName + ".report.txt", System.Text.Encoding.UTF8.GetBytes(rejection.ToText()), WriteCondition.Overwrite, ct);
        var message = $"Rejected unread: {blob.Length} bytes is more than the limit of {maxFileBytes} bytes.";
        await _log.WriteAsync(federation, period, LogRow(blob, "", federation, period, FileKind.Unknown, null, "rejected", 0, 0, 1, 0, 0, now,
            baseName + ".report.txt", message), ct);
        try
        {
            await store.DeleteAsync(Containers.Landing, blob.Name, blob.ETag, ct);
        }
        catch (BlobConditionFailedException)
        {
            message += " A newer file with the same name arrived meanwhile; it stays in landing for the next run.";
        }
        return new FileOutcome(blob.Name, FileStatus.Rejected, Sha256: "", FileKind.Unknown, path?.FederationId, path?.Period.ToString(), RowCount: 0,
            ErrorCount: 1, WarningCount: 0, MaskedTextCount: 0, ReportPath: $"{Containers.Quarantine}/{baseName}.report.txt", message);
    }

    /// <summary>A size as people read it: 4.9 KB, 100 MB.</summary>
    private static string Size(long bytes) => bytes switch
    {
        >= 1048576 => (bytes / 1048576m).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024m).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " KB",
        _ => $"{bytes} bytes",
    };

    private async Task ArchiveAsync(string sha, byte[] bytes, CancellationToken ct)
    {
        try
        {
            await store.WriteAsync(Containers.Raw, sha, bytes, WriteCondition.IfNotExists, ct);
        }
        catch (BlobConditionFailedException)
        {
            // Already archived: the archive is keyed by content, so it holds exactly these bytes.
        }
    }

    /// <summary>
    /// A no-op outcome when these bytes are already what the partition holds; otherwise null. A different version re-dropped
    /// later is processed again, so it replaces the month. Bytes rejected before are checked again: what rejected them may
    /// have been the reference data (an organisation number, a federation not yet listed) or a rule since corrected, and a
    /// file dropped again is meant to be tried again (each landing version is processed once, by its receipt).
    /// </summary>
    private async Task<FileOutcome?> DuplicateOrNullAsync(string federation, string period, FileKind kind, string sha, BlobInfo blob, DateTimeOffset now, CancellationToken ct)
    {
        var entries = await _log.EntriesAsync(federation, period, ct);
        var current = entries.Where(e => e.Family == kind.Family() && e.Status == IngestionLog.Accepted).MaxBy(e => e.IngestedAt);
        if (current?.Sha256 != sha) return null;
        var earlier = current;

        var message = $"Same bytes as the file ingested on {earlier.IngestedAt:yyyy-MM-dd HH:mm} UTC; nothing changed.";
        await _log.WriteAsync(federation, period, LogRow(blob, sha, federation, period, kind, null, "duplicate", 0, 0, 0, 0, 0, now, null, message), ct);
        return FileOutcome.NothingDone(blob.Name, FileStatus.Duplicate, message, sha, kind, NullIfUnknown(federation), NullIfUnknown(period));
    }

    private async Task<FileOutcome> AcceptAsync(BlobInfo blob, string sha, LandingPath path, ValidatedFile file, DateTimeOffset now, CancellationToken ct)
    {
        if (file.Ledger is { } ledger)
        {
            await WriteCuratedAsync(CuratedLayout.Ledger, path, CuratedTables.Ledger, CuratedRowMapper.LedgerRows(ledger, sha), ct);
            // Always written, even empty, so that a new version of the month replaces the old one's balances.
            await WriteCuratedAsync(CuratedLayout.OpeningBalances, path, CuratedTables.OpeningBalances, CuratedRowMapper.OpeningBalanceRows(ledger, sha), ct);
        }
        else if (file.Participants is { } participants)
        {
            await WriteCuratedAsync(CuratedLayout.Registrations, path, CuratedTables.Registrations, CuratedRowMapper.RegistrationRows(participants, pseudonymizer, sha), ct);
        }
        else if (file.Volumes is { } volumes)
        {
            await WriteCuratedAsync(CuratedLayout.Volumes, path, CuratedTables.Volumes, CuratedRowMapper.VolumeRows(volumes, sha), ct);
        }

        var what = file.Ledger is not null ? "transactions" : file.Volumes is not null ? "volume counts" : "registrations";
        var message = $"Ingested {file.RowCount} {what}" +
                      (file.OpeningBalanceCount > 0 ? $" and {file.OpeningBalanceCount} opening balances" : "") +
                      (file.Report.WarningCount > 0 ? $", {file.Report.WarningCount} warning(s)" : "") +
                      (file.MaskedTextCount > 0 ? $", {file.MaskedTextCount} personnummer-shaped text(s) masked" : "") + ".";
        var federation = path.FederationId;
        var period = path.Period.ToString();
        await _log.WriteAsync(federation, period, LogRow(blob, sha, federation, period, file.Kind, file.Encoding, IngestionLog.Accepted,
            file.RowCount, file.OpeningBalanceCount, 0, file.Report.WarningCount, file.MaskedTextCount, now, null, message), ct);
        return new FileOutcome(blob.Name, FileStatus.Accepted, sha, file.Kind, federation, period, file.RowCount, ErrorCount: 0,
            file.Report.WarningCount, file.MaskedTextCount, ReportPath: null, message);
    }

    private async Task WriteCuratedAsync<T>(string dataset, LandingPath path, ParquetTable<T> table, IReadOnlyList<T> rows, CancellationToken ct)
    {
        var bytes = await table.ToBytesAsync(rows, ct);
        await store.WriteAsync(Containers.Curated, CuratedLayout.DataFile(dataset, path), bytes, WriteCondition.Overwrite, ct);
    }

    private async Task<FileOutcome> RejectAsync(BlobInfo blob, string sha, LandingPath? path, FileKind kind, string? encoding,
        ValidationReport report, DateTimeOffset now, CancellationToken ct)
    {
        var federation = path?.FederationId ?? CuratedLayout.Unknown;
        var period = path?.Period.ToString() ?? CuratedLayout.Unknown;
        var fileName = SafeFileName(BlobName.FileName(blob.Name));
        var baseName = $"{federation}/{period}/{now:yyyyMMdd'T'HHmmss'Z'}_{sha[..12]}_{IngestionLog.Nonce()}_{fileName}";
        var rejection = RejectionReport.Create(fileName, FreeTextMasker.Masked(blob.Name), sha, path?.FederationId, path?.Period.ToString(), kind, blob.LastModified, now, report);
        // The archived original, copied inside the store: raw/ is keyed by content, so it holds exactly the bytes checked.
        await store.CopyAsync(Containers.Raw, sha, Containers.Quarantine, baseName, ct: ct);
        await store.SetTagsAsync(Containers.Quarantine, baseName, OriginalsRetention.PersonalTag, ct);
        await store.WriteAsync(Containers.Quarantine, baseName + ".report.json", rejection.ToJson(), WriteCondition.Overwrite, ct);
        await store.WriteAsync(Containers.Quarantine, baseName + ".report.txt", System.Text.Encoding.UTF8.GetBytes(rejection.ToText()), WriteCondition.Overwrite, ct);

        var first = report.Errors.FirstOrDefault();
        var message = $"Rejected with {report.ErrorCount} error(s)" + (report.ReadStoppedAtLine is { } stop ? $" (reading stopped after line {stop})" : "") +
                      (first is null ? "." : $"; first: {first}");
        await _log.WriteAsync(federation, period, LogRow(blob, sha, federation, period, kind, encoding, "rejected", 0, 0,
            report.ErrorCount, report.WarningCount, 0, now, baseName + ".report.txt", message), ct);
        return new FileOutcome(blob.Name, FileStatus.Rejected, sha, kind, path?.FederationId, path?.Period.ToString(), RowCount: 0,
            report.ErrorCount, report.WarningCount, MaskedTextCount: 0, ReportPath: $"{Containers.Quarantine}/{baseName}.report.txt", message);
    }

    private static IngestionLogRow LogRow(BlobInfo blob, string sha, string federation, string period, FileKind kind, string? encoding,
        string status, int rows, int openingBalances, int errors, int warnings, int masked, DateTimeOffset now, string? reportPath, string message) =>
        new()
        {
            FileSha256 = sha,
            // A landing name may name a person (deltagare_19900101-1234.csv): curated data holds it masked.
            LandingPath = FreeTextMasker.Masked(blob.Name),
            FileName = FreeTextMasker.Masked(BlobName.FileName(blob.Name)),
            FederationId = NullIfUnknown(federation),
            FilePeriod = NullIfUnknown(period),
            Kind = kind.ToString(),
            Encoding = encoding,
            Status = status,
            RowCount = rows,
            OpeningBalanceCount = openingBalances,
            ErrorCount = errors,
            WarningCount = warnings,
            MaskedTextCount = masked,
            ReceivedAt = blob.LastModified.UtcDateTime,
            IngestedAt = now.UtcDateTime,
            ReportPath = reportPath is null ? null : $"{Containers.Quarantine}/{reportPath}",
            Message = message,
        };

    private static string? NullIfUnknown(string value) => value == CuratedLayout.Unknown ? null : value;


    /// <summary>The longest file name part of a quarantine name, in UTF-8 bytes: with its prefix, a report suffix and a
    /// temporary name's suffix it stays inside the 255 bytes a local file system allows for a name.</summary>
    internal const int MaxSafeFileNameBytes = 100;

    /// <summary>
    /// The landing file's name as a quarantine name may hold it: identity numbers masked, only letters, digits, '.', '-' and
    /// '_', never ".report." (the reports' mark), and at most <see cref="MaxSafeFileNameBytes"/> bytes (the extension kept), so that any landing name can be quarantined.
    /// </summary>
    private static string SafeFileName(string name)
    {
        var safe = new string(FreeTextMasker.Masked(name).Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.')
            // Only the pipeline's own reports end in .report.txt or .report.json (the controllers may read those, and
            // retention keeps them): a federation's file named so is renamed.
            .Replace(".report.", "_report.", StringComparison.OrdinalIgnoreCase);
        if (safe.Length == 0) return "file";
        if (System.Text.Encoding.UTF8.GetByteCount(safe) <= MaxSafeFileNameBytes) return safe;
        var dot = safe.LastIndexOf('.');
        var extension = dot > 0 && safe.Length - dot <= 10 ? safe[dot..] : "";
        var stem = safe[..(safe.Length - extension.Length)];
        while (stem.Length > 1 && System.Text.Encoding.UTF8.GetByteCount(stem) + extension.Length > MaxSafeFileNameBytes) stem = stem[..^1];
        if (char.IsHighSurrogate(stem[^1])) stem = stem[..^1];
        return stem + extension;
    }
}
