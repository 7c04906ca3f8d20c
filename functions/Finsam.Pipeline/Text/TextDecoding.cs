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

    /// <summary>The text, without a BOM.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        return encoding.GetString(Utf8Bom.Strip(bytes));
    }
}
