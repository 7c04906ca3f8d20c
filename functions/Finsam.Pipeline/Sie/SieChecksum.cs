using System.IO.Hashing;
using System.Text;
using Finsam.Pipeline.Contract;

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

/// <summary>
/// The file's #KSUMMA records (SIE 4B chapter 10): the first, without a value, starts the checksum; the second, with the
/// checksum as a number, ends it. A checksum that differs means the file was edited or damaged after export, a missing
/// closing checksum that it was cut short (10.6), a record after it that it was added to: each an error.
/// </summary>
/// <param name="encoding">The encoding the file was read in; the checksum is counted in codepage 437, and in this one too
/// when it is another (an exporter that writes UTF-8 may have counted its own bytes).</param>
internal sealed class SieFileChecksum(ValidationReport report, Encoding encoding)
{
    private SieChecksum[]? _running;
    private int _openingLine;
    private int? _closingLine;
    private bool _reportedAfter;

    /// <summary>A record other than #KSUMMA: counted while the checksum runs; after the closing checksum, an error.</summary>
    public void Record(SieLine line, int n, string label)
    {
        if (_closingLine is { } closed)
        {
            if (_reportedAfter) return;
            _reportedAfter = true;
            report.Error("sie_checksum", n, "post", label,
                $"Posten står efter filens kontrollsumma (#KSUMMA på rad {closed}) och omfattas inte av den: filen har ändrats efter exporten. Exportera den igen.",
                $"The record comes after the file's checksum (#KSUMMA on line {closed}) and is not covered by it: the file was changed after export. Export it again.");
            return;
        }
        if (_running is null) return;
        foreach (var checksum in _running) checksum.Add(line);
    }

    /// <summary>A #KSUMMA record.</summary>
    public void Read(SieLine line, int n)
    {
        if (line[1].IsEmpty)
        {
            if (_running is not null || _closingLine is not null)
            {
                report.Error("sie_checksum", n, "#KSUMMA", null, "Filen har mer än en inledande #KSUMMA.", "The file has more than one opening #KSUMMA.");
                return;
            }
            _openingLine = n;
            _running = encoding.CodePage == 437 ? [new SieChecksum(encoding)] : [new SieChecksum(SieParser.Codepage437), new SieChecksum(encoding)];
            return;
        }
        var written = line.String(1);
        if (_running is null)
        {
            report.Error("sie_checksum", n, "#KSUMMA", written,
                _closingLine is null ? "Kontrollsumman (#KSUMMA med ett tal) saknar sin inledande #KSUMMA." : "Filen har mer än en kontrollsumma (#KSUMMA med ett tal).",
                _closingLine is null ? "The checksum (#KSUMMA with a number) has no opening #KSUMMA before it." : "The file has more than one checksum (#KSUMMA with a number).");
            return;
        }
        var computed = _running[0].Value;
        var matches = Stated(line[1]) is { } stated && _running.Any(c => c.Value == stated);
        _running = null;
        _closingLine = n;
        if (!matches)
            report.Error("sie_checksum", n, "#KSUMMA", written,
                $"Filens kontrollsumma stämmer inte: #KSUMMA anger {written}, innehållet ger {computed}. Filen har ändrats eller skadats efter exporten; exportera den igen.",
                $"The file's checksum does not match: #KSUMMA states {written}, its content gives {computed}. The file was edited or damaged after export; export it again.");
    }

    /// <summary>The end of the file (read to its end).</summary>
    public void End()
    {
        if (_running is not null && _closingLine is null)
            report.Error("sie_checksum", _openingLine, "#KSUMMA", null,
                "Filen börjar med #KSUMMA men slutar utan kontrollsumma (#KSUMMA med ett tal): filen är avkortad. Exportera den igen.",
                "The file opens with #KSUMMA but ends without its checksum (#KSUMMA with a number): the file was cut short. Export it again.");
    }

    /// <summary>The stated checksum: an unsigned number, or the same 32 bits written as a signed one (-1270248411).</summary>
    private static uint? Stated(ReadOnlySpan<char> text)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (uint.TryParse(text, System.Globalization.NumberStyles.None, invariant, out var value)) return value;
        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, invariant, out var signed) ? unchecked((uint)signed) : null;
    }
}
