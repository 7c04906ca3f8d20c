namespace Finsam.Pipeline.Text;

public static class Utf8Bom
{
    public static ReadOnlySpan<byte> Bytes => [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Bytes) ? bytes[3..] : bytes;
}
