using Parquet.Serialization;

namespace Finsam.Pipeline.Curated;

/// <summary>Serialises rows to a Parquet file in memory, ready for one atomic blob write.</summary>
public static class ParquetBytes
{
    public static async Task<byte[]> SerializeAsync<T>(IReadOnlyCollection<T> rows, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, buffer, cancellationToken: ct);
        return buffer.ToArray();
    }

    public static async Task<IList<T>> DeserializeAsync<T>(byte[] bytes, CancellationToken ct = default) where T : class, new()
    {
        using var buffer = new MemoryStream(bytes);
        return (await ParquetSerializer.DeserializeAsync<T>(buffer, cancellationToken: ct)).Data;
    }
}
