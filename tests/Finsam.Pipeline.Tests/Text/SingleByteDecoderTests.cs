using System.Text;
using Finsam.Pipeline.Sie;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Tests.Text;

/// <summary>The table decoder that SIE files are read with gives exactly what the encoding's own decoder gives.</summary>
public class SingleByteDecoderTests
{
    public static TheoryData<string> Encodings => ["cp437", "windows-1252", "iso-8859-1"];

    private static Encoding Named(string name) => name == "cp437" ? SieParser.Codepage437 : name == "windows-1252" ? TextDecoding.Windows1252 : Encoding.Latin1;

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_byte_and_mostly_ascii_text_decode_as_the_encoding_decodes_them(string name)
    {
        var encoding = Named(name);
        var decoder = SingleByteDecoder.For(encoding)!;
        var random = new Random(1);
        var text = new byte[100_000];
        for (var i = 0; i < text.Length; i++) text[i] = (byte)(random.Next(20) == 0 ? random.Next(256) : random.Next(0x20, 0x7F));

        foreach (var bytes in new[] { Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), text, [], [0xE5], [(byte)'a', 0x86, (byte)'b'] })
        {
            var chars = new char[bytes.Length];
            Assert.Equal(bytes.Length, decoder.GetChars(bytes, chars));
            Assert.Equal(encoding.GetString(bytes), new string(chars));
        }
    }

    [Fact]
    public void Utf8_has_no_table() => Assert.Null(SingleByteDecoder.For(new UTF8Encoding(false)));
}
