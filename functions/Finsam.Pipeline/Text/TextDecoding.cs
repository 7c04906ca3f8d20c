using System.Text;

namespace Finsam.Pipeline.Text;

/// <summary>Decides how a CSV file's bytes are to be read: UTF-8 (with or without BOM) or Windows-1252.</summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }

    /// <summary>
    /// UTF-8 when the bytes start with its BOM or are valid UTF-8 throughout; otherwise Windows-1252,
    /// the encoding Swedish Excel and older systems save "text" files in.
    /// </summary>
    public static (Encoding Encoding, string Name) Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Utf8Bom.Bytes)) return (Encoding.UTF8, "utf-8-bom");
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return (Encoding.UTF8, "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252, "windows-1252");
        }
    }

    /// <summary>The first byte of a text file that is not UTF-8: its line (1-based), where that line starts and the byte's offset.</summary>
    public sealed record InvalidByte(int Line, int LineStart, int Offset);

    /// <summary>
    /// The first byte that is not UTF-8 in a file that is nevertheless UTF-8 in part: one that starts with the UTF-8 BOM, or
    /// that holds a multi-byte UTF-8 sequence (ä written as C3 A4) beside bytes that are not UTF-8 (ä written as E4, as
    /// Windows-1252 does). Such a file can be read in neither encoding without changing some of its text, so it is an error
    /// rather than guessed at. Null when the file is valid UTF-8 throughout, or holds no UTF-8 beyond ASCII at all.
    /// </summary>
    public static InvalidByte? MixedEncoding(ReadOnlySpan<byte> bytes)
    {
        var bom = bytes.StartsWith(Utf8Bom.Bytes);
        var utf8 = bom;
        var firstInvalid = -1;
        var i = bom ? Utf8Bom.Bytes.Length : 0;
        while (i < bytes.Length)
        {
            var ascii = bytes[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0) break;
            i += ascii;
            if (System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                utf8 = true;
            }
            else if (firstInvalid < 0)
            {
                firstInvalid = i;
            }
            if (utf8 && firstInvalid >= 0) break;
            i += Math.Max(consumed, 1);
        }
        if (!utf8 || firstInvalid < 0) return null;
        var (line, lineStart) = LineAt(bytes, firstInvalid);
        return new InvalidByte(line, lineStart, firstInvalid);
    }

    /// <summary>The line (from 1) a byte offset is on, and where that line starts; lines end at \r\n, \n or \r.</summary>
    public static (int Line, int LineStart) LineAt(ReadOnlySpan<byte> bytes, int offset)
    {
        var (line, lineStart) = (1, 0);
        for (var j = 0; j < offset; j++)
            if (bytes[j] == '\n' || (bytes[j] == '\r' && (j + 1 >= bytes.Length || bytes[j + 1] != '\n')))
                (line, lineStart) = (line + 1, j + 1);
        return (line, lineStart);
    }

    /// <summary>The text, without a BOM.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        return encoding.GetString(Utf8Bom.Strip(bytes));
    }
}
