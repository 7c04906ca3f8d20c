using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Ingestion;

/// <summary>
/// What became of each version (name and ETag) of a landing blob: processed, or failed N times for a reason that may pass.
/// A version with a receipt is never processed twice, across restarts; a version that failed
/// <see cref="Configuration.LocalHostSettings.MaxAttempts"/> times is given up ("poisoned") and left in landing until it
/// is dropped again or re-driven (docs/operations.md) — the local twin of the Functions host's poison queue.
/// Kept in curated/ingestion_receipts/{hash of the name}/{etag}.json.
/// </summary>
public sealed class LandingReceipts(IBlobStore store)
{
    public const string Processed = "processed";
    public const string Failed = "failed";
    public const string Poisoned = "poisoned";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public sealed record Receipt(
        string LandingName,
        string ETag,
        string State,
        int Attempts,
        DateTimeOffset At,
        string Message)
    {
        [JsonIgnore] public bool IsFinal => State is Processed or Poisoned;
    }

    public async Task<Receipt?> ReadAsync(BlobInfo landing, CancellationToken ct)
    {
        try
        {
            var content = await store.ReadAsync(Containers.Curated, NameOf(landing), ct);
            return JsonSerializer.Deserialize<Receipt>(content.Bytes, Json);
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    public Task WriteProcessedAsync(BlobInfo landing, FileOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(landing, new Receipt(Finsam.Pipeline.Privacy.FreeTextMasker.Masked(landing.Name), landing.ETag, Processed, 1, now, $"{outcome.Status}: {outcome.Message}"), ct);

    /// <summary>Counts one more failed attempt; at <paramref name="maxAttempts"/> the version is poisoned.</summary>
    public async Task<Receipt> RecordFailureAsync(BlobInfo landing, string reason, int maxAttempts, DateTimeOffset now, CancellationToken ct)
    {
        var attempts = ((await ReadAsync(landing, ct))?.Attempts ?? 0) + 1;
        var receipt = new Receipt(Finsam.Pipeline.Privacy.FreeTextMasker.Masked(landing.Name), landing.ETag, attempts >= maxAttempts ? Poisoned : Failed, attempts, now, reason);
        await WriteAsync(landing, receipt, ct);
        return receipt;
    }

    /// <summary>Every receipt, for operations (which versions were given up).</summary>
    public async Task<IReadOnlyList<Receipt>> AllAsync(CancellationToken ct)
    {
        var receipts = new List<Receipt>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedLayout.IngestionReceipts + "/", ct))
            if (JsonSerializer.Deserialize<Receipt>((await store.ReadAsync(Containers.Curated, blob.Name, ct)).Bytes, Json) is { } receipt)
                receipts.Add(receipt);
        return receipts;
    }

    /// <summary>Stored under the landing name's hash; the receipt holds the name masked, as a landing name may name a person.</summary>
    private Task WriteAsync(BlobInfo landing, Receipt receipt, CancellationToken ct) =>
        store.WriteAsync(Containers.Curated, NameOf(landing), JsonSerializer.SerializeToUtf8Bytes(receipt, Json), WriteCondition.Overwrite, ct);


    private static string NameOf(BlobInfo landing) => NameOf(landing.Name, landing.ETag);

    /// <summary>The name is hashed (a landing name may be long or odd); the ETag keeps only letters and digits.</summary>
    public static string NameOf(string landingName, string etag) =>
        $"{CuratedLayout.IngestionReceipts}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(landingName)))[..32]}/" +
        $"{new string(etag.Where(char.IsAsciiLetterOrDigit).ToArray())}.json";
}
