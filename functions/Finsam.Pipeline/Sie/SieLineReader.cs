using System.Text;
using Finsam.Pipeline.Text;

namespace Finsam.Pipeline.Sie;

/// <summary>The lines of a SIE file's bytes, decoded a block at a time into one reused buffer.</summary>
internal static class SieLineReader
{
    /// <summary>Bytes decoded at a time: blocks of whole lines, so a line never spans two blocks.</summary>
    private const int BlockBytes = 1 << 16;

    /// <summary>
    /// Calls <paramref name="onLine"/> for each line of the bytes, split as StreamReader.ReadLine splits
    /// them (at \r\n, \n or \r), until it returns false. Blocks of whole lines are decoded into one buffer that is reused,
    /// so no string is made per line; a line is only valid during its call. Lines are found in the bytes (codepage 437 and
    /// Windows-1252 have one char per byte; UTF-8 never has a line break inside a character, and no more chars than bytes): a line longer than <paramref name="maxLine"/> is never decoded, only its first characters,
    /// which go to <paramref name="onTooLong"/> with its length.
    /// </summary>
    public static void ForEachLine(byte[] content, int offset, int length, int maxLine, Encoding encoding,
        Func<ReadOnlyMemory<char>, bool> onLine, Func<ReadOnlyMemory<char>, long, bool> onTooLong)
    {
        var buffer = new char[BlockBytes + 1];
        var decoder = SingleByteDecoder.For(encoding);
        var end = offset + length;
        for (var blockStart = offset; blockStart < end;)
        {
            var window = content.AsSpan(blockStart, Math.Min(BlockBytes, end - blockStart));
            var blockLength = window.Length;
            if (blockStart + window.Length < end)
            {
                var lastBreak = window.LastIndexOfAny((byte)'\r', (byte)'\n');
                if (lastBreak < 0)
                {
                    // A line longer than a block: decoded alone if it is within the limit, else skipped.
                    var next = content.AsSpan(blockStart, end - blockStart).IndexOfAny((byte)'\r', (byte)'\n');
                    var lineLength = next < 0 ? end - blockStart : next;
                    var keepLength = lineLength <= maxLine ? lineLength : Math.Min(lineLength, TextOverLimit.StartLength);
                    if (buffer.Length < keepLength) buffer = new char[keepLength];
                    var line = buffer.AsMemory(0, Decode(content.AsSpan(blockStart, keepLength), buffer, encoding, decoder));
                    if (!(lineLength <= maxLine ? onLine(line) : onTooLong(line, lineLength))) return;
                    blockStart += lineLength;
                    if (blockStart < end) blockStart += content[blockStart] == '\r' && blockStart + 1 < end && content[blockStart + 1] == '\n' ? 2 : 1;
                    continue;
                }
                blockLength = lastBreak + 1;
                // A \r\n stays in one block, or the \n would count as a line of its own.
                if (content[blockStart + lastBreak] == '\r' && blockStart + blockLength < end && content[blockStart + blockLength] == '\n') blockLength++;
            }
            var text = buffer.AsMemory(0, Decode(content.AsSpan(blockStart, blockLength), buffer, encoding, decoder));
            for (var start = 0; start < text.Length;)
            {
                var at = text.Span[start..].IndexOfAny('\r', '\n');
                var line = at < 0 ? text[start..] : text.Slice(start, at);
                if (!(line.Length <= maxLine ? onLine(line) : onTooLong(line, line.Length))) return;
                if (at < 0) break;
                start += at + (text.Span[start + at] == '\r' && start + at + 1 < text.Length && text.Span[start + at + 1] == '\n' ? 2 : 1);
            }
            blockStart += blockLength;
        }
    }

    /// <summary>Codepage 437 and Windows-1252 through a table (the encodings' own decoders go byte by byte); UTF-8 as it is.</summary>
    private static int Decode(ReadOnlySpan<byte> bytes, char[] buffer, Encoding encoding, SingleByteDecoder? decoder) =>
        decoder?.GetChars(bytes, buffer) ?? encoding.GetChars(bytes, buffer);
}
