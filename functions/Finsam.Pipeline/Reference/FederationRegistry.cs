using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Text;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Reference;

/// <summary>The federations the pipeline knows, from reference/federations.csv.</summary>
public sealed class FederationRegistry
{
    public const string BlobName = "federations.csv";
    public static readonly string[] Header = ["federation_id", "namn", "org_nr", "lan", "medlemskommuner"];
    private readonly Dictionary<string, Federation> _byId;

    public FederationRegistry(IEnumerable<Federation> federations) =>
        _byId = federations.ToDictionary(f => f.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<Federation> All => _byId.Values;

    public Federation? Find(string id) => _byId.GetValueOrDefault(id);

    public static async Task<FederationRegistry> LoadAsync(IBlobStore store, CancellationToken ct = default)
    {
        BlobContent content;
        try
        {
            content = await store.ReadAsync(Containers.Reference, BlobName, ct);
        }
        catch (BlobNotFoundException)
        {
            throw new ReferenceDataException($"{Containers.Reference}/{BlobName} is missing in {store.Description}. " +
                "It lists the federations whose files may be ingested; upload it first (see docs/data-contract.md).");
        }
        return Parse(TextDecoding.Decode(content.Bytes, TextDecoding.Detect(content.Bytes).Encoding));
    }

    public static FederationRegistry Parse(string csv)
    {
        var federations = new List<Federation>();
        var records = DelimitedText.Read(csv, DelimitedText.DetectDelimiter(csv), TextLimits.DefaultMaxLineLength, TextLimits.DefaultMaxFieldLength,
            over => throw new ReferenceDataException($"{BlobName} line {over.Line}: a {(over.Field is null ? "line" : "field")} is longer than " +
                                                     $"{(over.Field is null ? TextLimits.DefaultMaxLineLength : TextLimits.DefaultMaxFieldLength)} characters.")).ToList();
        if (records.Count == 0 || !records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).SequenceEqual(Header))
            throw new ReferenceDataException($"{BlobName} must start with the header {string.Join(';', Header)}.");
        foreach (var record in records.Skip(1))
        {
            var f = record.Fields.Select(x => x.Trim()).ToArray();
            if (f.Length != Header.Length || f[0].Length == 0)
                throw new ReferenceDataException($"{BlobName} line {record.Line}: expected {Header.Length} fields with a federation_id.");
            if (!Federation.IsValidId(f[0]))
                throw new ReferenceDataException($"{BlobName} line {record.Line}: federation_id '{f[0]}' may only use a-z, 0-9 and '-'.");
            var kommuner = f[4].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (kommuner.Any(k => k.Length != 4 || !k.All(char.IsAsciiDigit)))
                throw new ReferenceDataException($"{BlobName} line {record.Line}: medlemskommuner must be four-digit codes separated by '|'.");
            federations.Add(new Federation(f[0], f[1], f[2].Length == 0 ? null : f[2], f[3], kommuner));
        }
        var duplicate = federations.GroupBy(f => f.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ReferenceDataException($"{BlobName}: federation_id '{duplicate.Key}' appears twice.");
        return new FederationRegistry(federations);
    }
}

public sealed class ReferenceDataException(string message) : FixableException(message);
