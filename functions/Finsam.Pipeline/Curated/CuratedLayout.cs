using Finsam.Pipeline.Landing;

namespace Finsam.Pipeline.Curated;

/// <summary>Where curated data sets live: curated/{dataset}/federation={id}/period={yyyy-MM}/….</summary>
public static class CuratedLayout
{
    public const string Ledger = "ledger";
    public const string OpeningBalances = "opening_balances";
    public const string Registrations = "registrations";
    public const string Volumes = "volumes";
    public const string IngestionLog = "ingestion_log";
    /// <summary>What became of each version of a landing blob (<see cref="Ingestion.LandingReceipts"/>).</summary>
    public const string IngestionReceipts = "ingestion_receipts";
    /// <summary>Partition value for log entries of files whose landing path could not be read.</summary>
    public const string Unknown = "_unknown";

    public static string Partition(string dataset, string federation, string period) => $"{dataset}/federation={federation}/period={period}/";

    public static string DataFile(string dataset, LandingPath path) => Partition(dataset, path.FederationId, path.Period.ToString()) + "data.parquet";

    /// <summary>Where a build writes a model, inside the curated container: models/{name}.parquet.</summary>
    public static string ModelOutput(string model) => $"models/{model}.parquet";
}
