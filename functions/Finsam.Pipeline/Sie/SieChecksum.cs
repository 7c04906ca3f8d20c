using System.IO.Hashing;
using System.Text;

namespace Finsam.Pipeline.Sie;

/// <summary>
/// The #KSUMMA checksum of a SIE file, as the SIE 4B specification (2008-09-30) defines it in chapter 10,
/// "Kontrollsummering": CRC-32 (generator EDB88320, preset FFFFFFFF, inverted at the end: the CRC-32 of zlib and
/// <see cref="Crc32"/>) over every record after the opening <c>#KSUMMA</c> up to, not including, the closing
/// <c>#KSUMMA n</c> (10.14): each record's label and its fields as read, without the spaces or tabs between fields, the
/// quotes around a field, the braces around an object list or a voucher's rows, and with <c>\"</c> counted as the quote
/// alone; the characters as codepage 437 writes them.
/// </summary>
internal sealed class SieChecksum
{
    private readonly Crc32 _crc = new();
    private readonly Encoding _encoding;
    private byte[] _bytes = new byte[256];

    /// <param name="encoding">The encoding the characters are counted in: codepage 437 by the specification.</param>
    public SieChecksum(Encoding encoding) => _encoding = encoding;

    /// <summary>Adds one record (its label is field 0).</summary>
    public void Add(SieLine line)
    {
        Append(line[0]);
        for (var field = 1; field < line.Count; field++)
        {
            if (!line.IsList(field))
            {
                Append(line[field]);
                continue;
            }
            for (var item = 0; item < line.ItemCount(field); item++) Append(line.ListItem(field, item));
        }
    }

    /// <summary>The checksum of what was added, as the closing #KSUMMA writes it: an unsigned decimal number.</summary>
    public uint Value => _crc.GetCurrentHashAsUInt32();

    private void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        var max = _encoding.GetMaxByteCount(text.Length);
        if (_bytes.Length < max) _bytes = new byte[Math.Max(max, _bytes.Length * 2)];
        _crc.Append(_bytes.AsSpan(0, _encoding.GetBytes(text, _bytes)));
    }
}
