using System.Text;

namespace Finsam.Pipeline.Text;

/// <summary>
/// Decodes a single-byte encoding (codepage 437, Windows-1252) through a table of its 256 characters, widening runs of
/// ASCII at once: the same characters as the encoding's own decoder gives, which goes byte by byte. A SIE file is
/// almost all ASCII, with a letter such as å here and there.
/// </summary>
internal sealed class SingleByteDecoder
{
    private readonly char[] _table = new char[256];

    /// <summary>Whether bytes 0x00–0x7F are the ASCII characters, as in every code page a SIE or CSV file comes in.</summary>
    private readonly bool _asciiAsIs;

    private SingleByteDecoder(Encoding encoding)
    {
        var bytes = new byte[256];
        for (var b = 0; b < bytes.Length; b++) bytes[b] = (byte)b;
        if (encoding.GetChars(bytes, _table) != _table.Length) throw new ArgumentException($"{encoding.WebName} is not one character per byte.", nameof(encoding));
        _asciiAsIs = true;
        for (var b = 0; b < 0x80; b++) _asciiAsIs &= _table[b] == b;
    }

    /// <summary>A decoder for <paramref name="encoding"/>, or null when it is not one byte per character (UTF-8).</summary>
    public static SingleByteDecoder? For(Encoding encoding) => encoding.IsSingleByte ? new SingleByteDecoder(encoding) : null;

    /// <summary>Decodes every byte into <paramref name="chars"/>, which must be at least as long; returns the number of characters.</summary>
    public int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        for (var at = 0; at < bytes.Length; at++)
        {
            if (_asciiAsIs)
            {
                Ascii.ToUtf16(bytes[at..], chars[at..], out var ascii);
                at += ascii;
                if (at == bytes.Length) break;
            }
            chars[at] = _table[bytes[at]];
        }
        return bytes.Length;
    }
}
