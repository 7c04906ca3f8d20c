using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Reference;
using Finsam.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Ingestion;

/// <summary>
/// The ingestion use cases every host shares: one landing blob by name (what a blob trigger delivers), or everything in
/// landing (the command line and the local host). Each version of a blob is processed once (<see cref="LandingReceipts"/>);
/// a storage fault is retried with backoff (<see cref="StorageSettings.TransientAttempts"/>) before it is passed on, and the
/// blob then stays in landing. A file that breaks the contract is quarantined and is an ordinary outcome, never a failure.
/// </summary>
public sealed class IngestionService
{
    private readonly IBlobStore _store;
    private readonly TimeProvider _clock;
    private readonly FinsamOptions _options;
    private readonly ILogger _logger;
    private readonly FileIngestion _files;
    private readonly LandingReceipts _receipts;
    private readonly ResiliencePipeline _retry;

    public IngestionService(IBlobStore store, Pseudonymizer pseudonymizer, TimeProvider? clock = null, FinsamOptions? options = null, ILogger<IngestionService>? logger = null)
    {
        _store = store;
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new FinsamOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _files = new FileIngestion(store, pseudonymizer, _clock, _options.Limits.MaxFileBytes, _options.Limits.Text);
        _receipts = new LandingReceipts(store);
        _retry = TransientFailures.Retry(_options.Storage.TransientAttempts, _options.Storage.RetryDelay, _clock,
            (e, attempt) => _logger.LogWarning("Storage fault ({Error}); trying again, attempt {Attempt} of {Attempts}", FreeTextMasker.Masked(e.Message), attempt, _options.Storage.TransientAttempts));
    }

    /// <summary>
    /// Ingests the landing blob <paramref name="name"/>, as a blob trigger delivers it: the version in landing now (an event
    /// for an older version finds the newer one, which its own event then finds processed). A blob already gone, or a
    /// version already processed (its receipt), is a no-op. A storage fault that persists through the retries is thrown (the host
    /// retries the event), with a message that names no identity number; the blob stays in landing.
    /// </summary>
    public async Task<FileOutcome> IngestBlobAsync(string name, CancellationToken ct = default)
    {
        try
        {
            var blob = await _retry.ExecuteAsync(async token => await _store.GetInfoAsync(Containers.Landing, name, token), ct);
            if (blob is null)
            {
                _logger.LogInformation("Landing blob {LandingName} is gone: already processed or removed", FreeTextMasker.Masked(name));
                return FileOutcome.NothingDone(name, FileStatus.Changed, "The file is no longer in landing: it was already processed, or removed.");
            }
            var federations = await _retry.ExecuteAsync(async token => await FederationRegistry.LoadAsync(_store, token), ct);
            var receipt = await _retry.ExecuteAsync(async token => await _receipts.ReadAsync(blob, token), ct);
            if (receipt is { State: LandingReceipts.Processed }) return await AlreadyProcessedAsync(blob, receipt, ct);
            return await IngestWithRetriesAsync(blob, federations, ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or FixableException))
        {
            // What leaves the core for a host's own logs names no identity number (a landing name or a message may hold one).
            throw new IngestionFailedException($"{FreeTextMasker.Masked(name)} could not be processed ({e.GetType().Name}: {FreeTextMasker.Masked(e.Message)}); it stays in landing.");
        }
    }

    /// <summary>Everything in landing, one file after another; a file that fails does not stop the others.</summary>
    public Task<IngestionSummary> IngestAllAsync(IProgress<IngestionProgress>? progress = null, CancellationToken ct = default) =>
        IngestAllAsync(progress, CancellationToken.None, ct);

    /// <summary>
    /// Everything in landing, for a host that stops gracefully: <paramref name="stopping"/> is observed only between files,
    /// so the file in hand is finished and the rest stay in landing for the next run (the summary holds the files done).
    /// <paramref name="ct"/> abandons the file in hand as well: it stays in landing and is ingested again from the start
    /// next time (each curated partition is replaced atomically, and a file already logged as accepted is then a duplicate).
    /// </summary>
    public Task<IngestionSummary> IngestAllAsync(IProgress<IngestionProgress>? progress, CancellationToken stopping, CancellationToken ct) =>
        IngestListedAsync(_ => true, progress, stopping, ct);

    /// <summary>How long a file may sit in landing before the Functions app's scheduled run takes it in without its event.</summary>
    public static readonly TimeSpan LeftBehindAfter = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The files their events did not bring in: every version in landing last written more than <paramref name="olderThan"/>
    /// ago, ingested as <see cref="IngestAllAsync(IProgress{IngestionProgress}?, CancellationToken)"/> does (a failure
    /// recorded; given up after <see cref="LocalHostSettings.MaxAttempts"/>). A younger file is left to its event. The
    /// Functions app runs this on every BUILD_SCHEDULE tick, so a file whose event was lost, dead-lettered or poisoned
    /// comes in by itself once the cause is gone.
    /// </summary>
    public Task<IngestionSummary> IngestLeftBehindAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        var before = _clock.GetUtcNow() - olderThan;
        return IngestListedAsync(blob => blob.LastModified < before, null, CancellationToken.None, ct);
    }

    private async Task<IngestionSummary> IngestListedAsync(Func<BlobInfo, bool> which, IProgress<IngestionProgress>? progress,
        CancellationToken stopping, CancellationToken ct)
    {
        using var beforeAnyFile = CancellationTokenSource.CreateLinkedTokenSource(stopping, ct);
        var federations = await FederationRegistry.LoadAsync(_store, beforeAnyFile.Token);
        var landing = new List<BlobInfo>();
        await foreach (var blob in _store.ListAsync(Containers.Landing, "", beforeAnyFile.Token))
            if (which(blob)) landing.Add(blob);
        var outcomes = new List<FileOutcome>();
        foreach (var blob in landing)
        {
            if (stopping.IsCancellationRequested) break;
            var outcome = await IngestListedAsync(blob, federations, ct);
            outcomes.Add(outcome);
            progress?.Report(new IngestionProgress(outcomes.Count, landing.Count, outcome));
        }
        return new IngestionSummary(outcomes);
    }

    private async Task<FileOutcome> IngestListedAsync(BlobInfo blob, FederationRegistry federations, CancellationToken ct)
    {
        try
        {
            var receipt = await _receipts.ReadAsync(blob, ct);
            if (receipt is { State: LandingReceipts.Processed }) return await AlreadyProcessedAsync(blob, receipt, ct);
            if (receipt is { State: LandingReceipts.Poisoned })
                return FileOutcome.NothingDone(blob.Name, FileStatus.Failed,
                    $"Given up after {receipt.Attempts} failed attempts ({receipt.Message}); it stays in landing. Drop it again, or re-drive it (docs/operations.md).");
            return await IngestWithRetriesAsync(blob, federations, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A storage fault that outlived the retries (a request timeout is an OperationCanceledException too), or a bug:
            // this file stays in landing; the others go on.
            var reason = $"{e.GetType().Name}: {FreeTextMasker.Masked(e.Message)}";
            var attempts = await RecordFailureAsync(blob, reason, ct);
            if (attempts >= _options.LocalHost.MaxAttempts)
                _logger.LogError("Landing blob {LandingName} is given up after {Attempts} failed attempts ({Reason}); it stays in landing, recorded as poisoned in {Receipt}. Drop it again, or delete the receipt to try again",
                    FreeTextMasker.Masked(blob.Name), attempts, reason, $"{Containers.Curated}/{LandingReceipts.NameOf(blob.Name, blob.ETag)}");
            else
                _logger.LogError("Landing blob {LandingName} could not be processed ({Reason}); attempt {Attempt} of {MaxAttempts}",
                    FreeTextMasker.Masked(blob.Name), reason, attempts, _options.LocalHost.MaxAttempts);
            return FileOutcome.NothingDone(blob.Name, FileStatus.Failed,
                $"Could not be processed ({reason}); the file stays in landing and is tried again on the next run" +
                (attempts >= _options.LocalHost.MaxAttempts ? $" only when dropped again or re-driven: {attempts} attempts failed." : $" (attempt {attempts} of {_options.LocalHost.MaxAttempts})."));
        }
    }

    private async Task<FileOutcome> IngestWithRetriesAsync(BlobInfo blob, FederationRegistry federations, CancellationToken ct)
    {
        var outcome = await _retry.ExecuteAsync(async token => await _files.IngestAsync(blob, federations, token), ct);
        _logger.LogInformation("Landing blob {LandingName}: {Status}, {Rows} row(s), {Errors} error(s), {Warnings} warning(s)",
            FreeTextMasker.Masked(blob.Name), outcome.Status, outcome.RowCount, outcome.ErrorCount, outcome.WarningCount);
        if (outcome.Status is FileStatus.Accepted or FileStatus.Rejected or FileStatus.Duplicate)
            await _retry.ExecuteAsync(async token => await _receipts.WriteProcessedAsync(blob, outcome, _clock.GetUtcNow(), token), ct);
        return outcome;
    }

    private async Task<int> RecordFailureAsync(BlobInfo blob, string reason, CancellationToken ct)
    {
        try
        {
            return (await _receipts.RecordFailureAsync(blob, reason, _options.LocalHost.MaxAttempts, _clock.GetUtcNow(), ct)).Attempts;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The store is failing as a whole; the next run tries the file again.
            _logger.LogWarning("The failure of {LandingName} could not be recorded ({Error})", FreeTextMasker.Masked(blob.Name), FreeTextMasker.Masked(e.Message));
            return 0;
        }
    }

    /// <summary>
    /// A version with a receipt that is still in landing (its removal failed, or it was put back unchanged): nothing is
    /// ingested again, and it is removed from landing if it is still that version, so that it does not sit there for ever.
    /// </summary>
    private async Task<FileOutcome> AlreadyProcessedAsync(BlobInfo blob, LandingReceipts.Receipt receipt, CancellationToken ct)
    {
        try
        {
            await _retry.ExecuteAsync(async token => await _store.DeleteAsync(Containers.Landing, blob.Name, blob.ETag, token), ct);
        }
        catch (BlobConditionFailedException)
        {
            // A newer version arrived meanwhile; it is processed on its own.
        }
        return FileOutcome.NothingDone(blob.Name, FileStatus.Duplicate,
            $"This version of the file was already processed on {receipt.At:yyyy-MM-dd HH:mm} UTC; nothing done.");
    }
}

/// <summary>A landing file could not be processed for a reason that is not the file's (storage, a bug); it stays in landing.</summary>
public sealed class IngestionFailedException(string message) : Exception(message);
