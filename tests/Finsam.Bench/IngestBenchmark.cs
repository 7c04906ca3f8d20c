using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;

namespace Finsam.Bench;

/// <summary>
/// Times the ingestion of one file dropped into landing of a fresh local-folder store: reading it,
/// hashing and archiving it, validating, pseudonymising, writing curated Parquet and the log entry.
/// Dropping the file and deleting the store afterwards are not timed.
/// </summary>
public static class IngestBenchmark
{
    private static readonly Pseudonymizer Pseudonymizer = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    public static Timed Trial(string work, string landingName, byte[] file)
    {
        var root = "";
        LocalFolderBlobStore? store = null;
        return new Timed(
            SetUp: () =>
            {
                root = Path.Combine(work, Guid.NewGuid().ToString("N"));
                store = new LocalFolderBlobStore(root);
                store.WriteAsync(Containers.Reference, "federations.csv", "federation_id;namn;org_nr;lan;medlemskommuner\nbench;Bänk;;Exempellän;9901\n"u8.ToArray(), WriteCondition.Overwrite).GetAwaiter().GetResult();
                store.WriteAsync(Containers.Landing, landingName, file, WriteCondition.Overwrite).GetAwaiter().GetResult();
            },
            Run: () =>
            {
                var summary = new IngestionService(store!, Pseudonymizer).IngestAllAsync().GetAwaiter().GetResult();
                if (summary.Accepted != 1)
                    throw new InvalidOperationException("The generated file was not accepted: " + summary.Files[0].Message);
            },
            TearDown: () => Directory.Delete(root, recursive: true));
    }
}
