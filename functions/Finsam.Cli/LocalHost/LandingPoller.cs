using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The local twin of the Functions app's blob trigger: every <see cref="LocalHostSettings.PollInterval"/> it ingests what
/// is in landing (<see cref="IngestionService"/>: each version once, across restarts; transient faults retried; a version
/// that failed <see cref="LocalHostSettings.MaxAttempts"/> times given up and logged). On shutdown the file in hand is
/// finished; if the host's shutdown timeout runs out first, it is abandoned and stays in landing for the next start.
/// </summary>
public sealed class LandingPoller(IngestionService ingestion, IBlobStore store, PipelineTurns turns, IOptions<FinsamOptions> options, ILogger<LandingPoller> logger)
    : BackgroundService
{
    private readonly CancellationTokenSource _abandon = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.LocalHost;
        logger.LogInformation("Polling landing in {Storage} every {PollInterval}; a file that keeps failing is given up after {MaxAttempts} attempts",
            store.Description, settings.PollInterval, settings.MaxAttempts);
        try
        {
            while (true)
            {
                using (await turns.TakeAsync(stoppingToken)) await PassAsync(stoppingToken);
                await Task.Delay(settings.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped polling landing");
        }
    }

    /// <summary>One pass over landing; each file's outcome is logged by the core.</summary>
    private async Task PassAsync(CancellationToken stoppingToken)
    {
        try
        {
            var summary = await ingestion.IngestAllAsync(null, stoppingToken, _abandon.Token);
            if (stoppingToken.IsCancellationRequested)
                logger.LogInformation("Stopping: the file in hand was finished ({Files} file(s) done in this pass); what is left stays in landing", summary.Files.Count);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Landing or reference data could not be read (storage down, federations.csv missing): try again next time.
            logger.LogError("Landing could not be processed: {Error}; trying again in {PollInterval}",
                FreeTextMasker.Masked(e is Pipeline.Failures.FixableException ? e.Message : e.ToString()), options.Value.LocalHost.PollInterval);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // cancellationToken ends with the host's shutdown timeout: then the file in hand is abandoned too.
        await using var abandon = cancellationToken.Register(_abandon.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }
}
