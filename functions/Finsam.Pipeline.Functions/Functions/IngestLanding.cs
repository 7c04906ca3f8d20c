using Azure.Storage.Blobs;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions;

/// <summary>
/// A file dropped into landing, delivered by Event Grid (at least once). The core ingests it or quarantines it; a file
/// that breaks the contract is an ordinary outcome, so bad data never reaches the poison queue. A storage fault that
/// outlives the core's retries is thrown, so the host retries the event; the file stays in landing.
/// </summary>
public sealed class IngestLanding(IngestionService ingestion)
{
    [Function(nameof(IngestLanding))]
    public async Task Run(
        [BlobTrigger("landing/{name}", Source = BlobTriggerSource.EventGrid, Connection = FinsamSettings.StorageConnection)] BlobClient blob,
        string name,
        CancellationToken ct) =>
        await ingestion.IngestBlobAsync(name, ct);
}
