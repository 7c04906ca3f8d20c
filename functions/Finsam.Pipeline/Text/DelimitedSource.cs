using System.Text;

namespace Finsam.Pipeline.Text;

/// <summary>
/// The text of a delimited file: a string, or a file's bytes decoded as they are read, so that a 100 MB export never becomes a
/// 200 MB string beside its bytes. A string converts to it, so a parser takes either.
/// </summary>
public sealed class DelimitedSource
{
    private readonly string? _text;
    private readonly byte[] _bytes = [];
    private readonly int _offset;
    private readonly Encoding _encoding = Encoding.UTF8;

    private DelimitedSource(string text) => _text = text;

    /// <summary>The bytes, read in <paramref name="encoding"/>; a UTF-8 BOM is skipped.</summary>
    public DelimitedSource(byte[] bytes, Encoding encoding)
    {
        (_bytes, _encoding) = (bytes, encoding);
        _offset = bytes.Length - Utf8Bom.Strip(bytes).Length;
    }

    public static implicit operator DelimitedSource(string text) => new(text);

    public TextReader Open() => _text is not null
        ? new StringReader(_text)
        : new StreamReader(new MemoryStream(_bytes, _offset, _bytes.Length - _offset, writable: false), _encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);

    /// <summary>The first line, for the separator: read from at most the first 4 096 characters.</summary>
    public string Start()
    {
        if (_text is not null) return _text.Length <= 4096 ? _text : _text[..4096];
        using var reader = Open();
        var buffer = new char[4096];
        return new string(buffer, 0, reader.ReadBlock(buffer));
    }
}
