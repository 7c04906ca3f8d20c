using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// Every night (03:00 UTC): retention of the originals that may hold identity numbers (<see cref="OriginalsRetention"/>),
/// through <c>Finsam__Privacy__OriginalsYears</c> years after their month's year.
/// </summary>
public sealed class RetainOriginals(OriginalsRetention retention, IOptions<FinsamOptions> options, ILogger<RetainOriginals> logger)
{
    [Function(nameof(RetainOriginals))]
    public async Task Run([TimerTrigger("0 0 3 * * *", RunOnStartup = false)] TimerInfo timer, CancellationToken ct)
    {
        await retention.ApplyAndLogAsync(options.Value.Privacy.OriginalsYears, logger, ct);
    }
}
