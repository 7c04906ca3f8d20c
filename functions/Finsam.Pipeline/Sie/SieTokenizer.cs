using System.Text;

namespace Finsam.Pipeline.Sie;

/// <summary>
/// Splits one SIE line into fields, per the SIE 4 specification: fields are separated by spaces
/// or tabs; a field with spaces is quoted, and a quote inside it is written \" ; an object list
/// is written in braces, e.g. {1 "100" 6 "P12"}.
/// </summary>
public static class SieTokenizer
{
    /// <param name="memory">The line, without its line break; <paramref name="line"/> refers to it until the next call.</param>
    /// <returns>Null when the line is well formed, otherwise what is wrong with it.</returns>
    public static string? Tokenize(ReadOnlyMemory<char> memory, SieLine line)
    {
        line.Reset(memory);
        var text = memory.Span;
        var i = 0;
        while (true)
        {
            SkipSpace(text, ref i);
            if (i >= text.Length) return null;
            if (text[i] == '{')
            {
                var open = i;
                var itemStart = line.BeginList();
                i++;
                while (true)
                {
                    SkipSpace(text, ref i);
                    if (i >= text.Length) return "an object list '{' is not closed with '}'";
                    if (text[i] == '}') { i++; break; }
                    if (text[i] == '{') return "an object list cannot contain another '{'";
                    var error = ReadField(text, ref i, insideList: true, out var start, out var length, out var unescaped);
                    if (error is not null) return error;
                    line.AddItem(start, length, unescaped);
                }
                line.EndList(itemStart, open, i - open);
            }
            else if (text[i] == '}' && line.FieldCount > 0)
            {
                return "a '}' without a matching '{'";
            }
            else
            {
                var rawStart = i;
                var error = ReadField(text, ref i, insideList: false, out var start, out var length, out var unescaped);
                if (error is not null) return error;
                line.AddField(start, length, rawStart, i - rawStart, unescaped);
            }
        }
    }

    private static string? ReadField(ReadOnlySpan<char> text, ref int i, bool insideList, out int start, out int length, out string? unescaped)
    {
        unescaped = null;
        if (text[i] != '"')
        {
            start = i;
            while (i < text.Length && text[i] is not (' ' or '\t' or '{') && !(text[i] == '}' && insideList)) i++;
            length = i - start;
            // Every call must consume something, or the caller would loop forever.
            return length > 0 ? null : $"unexpected '{text[i]}'";
        }

        i++;
        start = i;
        var end = IndexFrom(text, '"', i);
        var escape = IndexFrom(text, '\\', i);
        if (end >= 0 && (escape < 0 || escape > end))
        {
            // The common case: no escapes inside.
            length = end - start;
            i = end + 1;
            return null;
        }
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= text.Length) { length = 0; return "a quoted field is not closed with '\"'"; }
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '"' || text[i + 1] == '\\')) { sb.Append(text[i + 1]); i += 2; continue; }
            if (c == '"') { i++; break; }
            sb.Append(c);
            i++;
        }
        unescaped = sb.ToString();
        length = unescaped.Length;
        return null;
    }

    private static int IndexFrom(ReadOnlySpan<char> text, char c, int from)
    {
        var at = text[from..].IndexOf(c);
        return at < 0 ? -1 : from + at;
    }

    private static void SkipSpace(ReadOnlySpan<char> text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t') i++;
    }
}
