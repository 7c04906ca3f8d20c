namespace Finsam.Pipeline.Text;

/// <summary>
/// Gives one shared string per distinct value (accounts, cost objects, repeated texts), looked up
/// from a span without allocating. Large files repeat the same few values hundreds of thousands of times.
/// Not thread-safe: one pool per thread (per chunk of a participant file, per part of a SIE file).
/// </summary>
public sealed class StringPool(int capacity = 50_000)
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return "";
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out var existing)) return existing;
        var created = value.ToString();
        if (_strings.Count < capacity) _strings[created] = created;
        return created;
    }

    /// <summary>The shared string equal to <paramref name="value"/>: <paramref name="value"/> itself when it is the first.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public string? Get(string? value)
    {
        if (string.IsNullOrEmpty(value)) return value;
        if (_strings.TryGetValue(value, out var existing)) return existing;
        if (_strings.Count < capacity) _strings[value] = value;
        return value;
    }
}
