using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>The repository's sample exports, loaded into a store as the demo does.</summary>
public static class Samples
{
    public static IEnumerable<(string Name, byte[] Bytes)> LandingFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "landing"), "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(Path.Combine(RepoPaths.Samples, "landing"), f).Replace(Path.DirectorySeparatorChar, '/'), System.IO.File.ReadAllBytes(f)));

    public static byte[] File(string landingName) => System.IO.File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "landing", landingName));

    public static async Task SeedReferenceAsync(IBlobStore store) =>
        await store.WriteAsync(Containers.Reference, "federations.csv",
            await System.IO.File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "reference", "federations.csv")), WriteCondition.Overwrite);

    /// <summary>Every sample reference file and landing file into the store, ingested with the test key.</summary>
    public static async Task IngestAllAsync(IBlobStore store)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "reference")))
            await store.WriteAsync(Containers.Reference, Path.GetFileName(file), await System.IO.File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
        await DropAllAsync(store);
        await new Finsam.Pipeline.Ingestion.IngestionService(store, new Finsam.Pipeline.Privacy.Pseudonymizer(TestPersons.Key)).IngestAllAsync();
    }

    public static async Task DropAllAsync(IBlobStore store)
    {
        foreach (var (name, bytes) in LandingFiles()) await store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);
    }
}
