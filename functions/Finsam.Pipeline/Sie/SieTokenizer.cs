using System.Text;

namespace Finsam.Pipeline.Sie;

/// <summary>
/// Splits one SIE line into fields, per the SIE 4 specification: fields are separated by spaces
/// or tabs; a field with spaces is quoted, and a quote inside it is written \" ; an object list
/// is written in braces, e.g. {1 "100" 6 "P12"}.
/// </summary>
public static class SieTokenizer
{
    /// <returns>Null when the line is well formed, otherwise what is wrong with it.</returns>
    public static string? Tokenize(string line, List<SieToken> tokens)
    {
        tokens.Clear();
        var i = 0;
        while (true)
        {
            SkipSpace(line, ref i);
            if (i >= line.Length) return null;
            if (line[i] == '{')
            {
                i++;
                var items = new List<string>();
                while (true)
                {
                    SkipSpace(line, ref i);
                    if (i >= line.Length) return "an object list '{' is not closed with '}'";
                    if (line[i] == '}') { i++; break; }
                    var error = ReadField(line, ref i, insideList: true, out var item);
                    if (error is not null) return error;
                    items.Add(item);
                }
                tokens.Add(new SieToken("{" + string.Join(' ', items) + "}", items));
            }
            else if (line[i] == '}' && tokens.Count > 0)
            {
                return "a '}' without a matching '{'";
            }
            else
            {
                var error = ReadField(line, ref i, insideList: false, out var field);
                if (error is not null) return error;
                tokens.Add(new SieToken(field));
            }
        }
    }

    private static string? ReadField(string line, ref int i, bool insideList, out string field)
    {
        var sb = new StringBuilder();
        if (line[i] == '"')
        {
            i++;
            while (true)
            {
                if (i >= line.Length) { field = sb.ToString(); return "a quoted field is not closed with '\"'"; }
                var c = line[i];
                if (c == '\\' && i + 1 < line.Length && (line[i + 1] == '"' || line[i + 1] == '\\')) { sb.Append(line[i + 1]); i += 2; continue; }
                if (c == '"') { i++; break; }
                sb.Append(c);
                i++;
            }
        }
        else
        {
            while (i < line.Length && line[i] is not (' ' or '\t') && !(line[i] == '}' && insideList) && line[i] != '{')
            {
                sb.Append(line[i]);
                i++;
            }
        }
        field = sb.ToString();
        return null;
    }

    private static void SkipSpace(string line, ref int i)
    {
        while (i < line.Length && line[i] is ' ' or '\t') i++;
    }
}
