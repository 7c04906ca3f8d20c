using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Reference;

/// <summary>The interventions (insatser) each federation has, from reference/insatser.csv, for checking volume exports.</summary>
public sealed class InsatsRegistry
{
    public const string BlobName = "insatser.csv";
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly Dictionary<string, HashSet<string>> _byFederation;

    private InsatsRegistry(Dictionary<string, HashSet<string>> byFederation) => _byFederation = byFederation;

    /// <summary>The federation's intervention ids (empty when the file lists none for it).</summary>
    public IReadOnlySet<string> For(string federationId) => _byFederation.TryGetValue(federationId, out var ids) ? ids : None;

    /// <summary>The registry from storage; a missing file lists no interventions (every one is then reported as unknown).</summary>
    public static async Task<InsatsRegistry> LoadAsync(IBlobStore store, CancellationToken ct = default)
    {
        try
        {
            var content = await store.ReadAsync(Containers.Reference, BlobName, ct);
            return Parse(TextDecoding.Decode(content.Bytes, TextDecoding.Detect(content.Bytes).Encoding));
        }
        catch (BlobNotFoundException)
        {
            return new InsatsRegistry([]);
        }
    }

    /// <summary>Reads the columns federation_id and insats_id by name; the file's other columns are the models' business.</summary>
    public static InsatsRegistry Parse(string csv)
    {
        var records = DelimitedText.Read(csv, DelimitedText.DetectDelimiter(csv)).ToList();
        var header = records.Count == 0 ? [] : records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var (federation, insats) = (header.IndexOf("federation_id"), header.IndexOf("insats_id"));
        if (federation < 0 || insats < 0)
            throw new ReferenceDataException($"{BlobName} must have the columns federation_id and insats_id in its header.");
        var byFederation = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Length <= Math.Max(federation, insats)) continue;
            var (f, i) = (record.Fields[federation].Trim(), record.Fields[insats].Trim());
            if (f.Length == 0 || i.Length == 0) continue;
            if (!byFederation.TryGetValue(f, out var ids)) byFederation[f] = ids = new HashSet<string>(StringComparer.Ordinal);
            ids.Add(i);
        }
        return new InsatsRegistry(byFederation);
    }

    /// <summary>A registry read from a file on disk (finsam validate --insatser).</summary>
    public static InsatsRegistry ReadFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Parse(TextDecoding.Decode(bytes, TextDecoding.Detect(bytes).Encoding));
    }
}
