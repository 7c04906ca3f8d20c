namespace Finsam.Pipeline.Sie;

/// <summary>
/// The fields of one SIE line, kept as positions in the line so that reading a large file
/// allocates a string only for what is kept. A field is plain, quoted, or an object list in braces.
/// </summary>
public sealed class SieLine
{
    private readonly List<Field> _fields = [];
    private readonly List<Field> _items = [];
    private ReadOnlyMemory<char> _text;

    public int Count => _fields.Count;

    public ReadOnlySpan<char> this[int index] =>
        index < _fields.Count ? SpanOf(_fields[index]) : [];

    public bool Has(int index) => index < _fields.Count;

    public bool IsList(int index) => index < _fields.Count && _fields[index].IsList;

    /// <summary>The items of an object list field, e.g. {1 "100" 6 "P12"} gives 1, 100, 6, P12.</summary>
    public int ItemCount(int index) => _fields[index].ItemCount;

    public ReadOnlySpan<char> ListItem(int index, int item) => SpanOf(_items[_fields[index].ItemStart + item]);

    /// <summary>The field as written in the line (quotes and braces included), for messages.</summary>
    public string Raw(int index) => index < _fields.Count ? _text.Span.Slice(_fields[index].RawStart, _fields[index].RawLength).ToString() : "";

    public string String(int index) => this[index].ToString();

    /// <summary>The first field (or item of an object list, by its list's index) longer than <paramref name="max"/> characters, as read; null when none is.</summary>
    public int? FindFieldLongerThan(int max, out ReadOnlySpan<char> value)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            var field = _fields[i];
            if (!field.IsList)
            {
                if (field.Length <= max) continue;
                value = SpanOf(field);
                return i;
            }
            for (var item = field.ItemStart; item < field.ItemStart + field.ItemCount; item++)
            {
                if (_items[item].Length <= max) continue;
                value = SpanOf(_items[item]);
                return i;
            }
        }
        value = default;
        return null;
    }

    internal void Reset(ReadOnlyMemory<char> text)
    {
        _text = text;
        _fields.Clear();
        _items.Clear();
    }

    internal void AddField(int start, int length, int rawStart, int rawLength, string? unescaped) =>
        _fields.Add(new Field(start, length, rawStart, rawLength, unescaped, false, 0, 0));

    internal int BeginList() => _items.Count;

    internal void AddItem(int start, int length, string? unescaped) =>
        _items.Add(new Field(start, length, start, length, unescaped, false, 0, 0));

    internal void EndList(int itemStart, int rawStart, int rawLength) =>
        _fields.Add(new Field(rawStart, rawLength, rawStart, rawLength, null, true, itemStart, _items.Count - itemStart));

    internal int FieldCount => _fields.Count;

    private ReadOnlySpan<char> SpanOf(Field f) => f.Unescaped is { } u ? u : _text.Span.Slice(f.Start, f.Length);

    private readonly record struct Field(int Start, int Length, int RawStart, int RawLength, string? Unescaped, bool IsList, int ItemStart, int ItemCount);
}
