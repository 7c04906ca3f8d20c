using System.Globalization;
using System.Text;

namespace Finsam.Infra.Tests.Arm;

/// <summary>An ARM template expression, parsed: what a compiled Bicep value holds between [ and ].</summary>
public abstract record ArmExpression
{
    /// <summary>Whether a template string is an expression: "[…]" but not the escaped "[[…".</summary>
    public static bool IsExpression(string value) =>
        value.Length >= 2 && value[0] == '[' && value[^1] == ']' && !value.StartsWith("[[", StringComparison.Ordinal);

    public static ArmExpression Parse(string expression)
    {
        var parser = new Parser(expression);
        var result = parser.ParseExpression();
        parser.ExpectEnd();
        return result;
    }

    private sealed class Parser(string text)
    {
        private int _at;

        public ArmExpression ParseExpression()
        {
            SkipSpace();
            ArmExpression result;
            var c = Peek();
            if (c == '\'')
                result = new ArmLiteral(ReadString());
            else if (c == '-' || char.IsDigit(c))
                result = new ArmLiteral(ReadInteger());
            else
            {
                var name = ReadName();
                if (Peek() == '.') // a user-defined function: namespace.name(…)
                {
                    _at++;
                    name += "." + ReadName();
                }
                SkipSpace();
                Expect('(');
                var arguments = new List<ArmExpression>();
                SkipSpace();
                if (Peek() != ')')
                {
                    while (true)
                    {
                        arguments.Add(ParseExpression());
                        SkipSpace();
                        if (Peek() == ',') { _at++; continue; }
                        break;
                    }
                }
                Expect(')');
                result = new ArmCall(name, arguments);
            }
            while (true)
            {
                SkipSpace();
                if (Peek() == '.')
                {
                    _at++;
                    result = new ArmMember(result, ReadName());
                }
                else if (Peek() == '[')
                {
                    _at++;
                    var index = ParseExpression();
                    SkipSpace();
                    Expect(']');
                    result = new ArmIndex(result, index);
                }
                else
                    return result;
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_at != text.Length)
                throw new FormatException($"Unexpected '{text[_at..]}' in expression {text}");
        }

        private char Peek() => _at < text.Length ? text[_at] : '\0';

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                _at++;
        }

        private void Expect(char c)
        {
            if (Peek() != c)
                throw new FormatException($"Expected '{c}' at {_at} in expression {text}");
            _at++;
        }

        private string ReadString()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (_at >= text.Length)
                    throw new FormatException("Unterminated string in expression " + text);
                var c = text[_at++];
                if (c == '\'')
                {
                    if (Peek() == '\'') { value.Append('\''); _at++; continue; }
                    return value.ToString();
                }
                value.Append(c);
            }
        }

        private long ReadInteger()
        {
            var start = _at;
            if (Peek() == '-') _at++;
            while (char.IsDigit(Peek())) _at++;
            return long.Parse(text[start.._at], CultureInfo.InvariantCulture);
        }

        private string ReadName()
        {
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '$'))
                _at++;
            if (_at == start)
                throw new FormatException($"Expected a name at {start} in expression {text}");
            return text[start.._at];
        }
    }
}

public sealed record ArmLiteral(object Value) : ArmExpression;

public sealed record ArmCall(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

public sealed record ArmMember(ArmExpression Target, string Name) : ArmExpression;

public sealed record ArmIndex(ArmExpression Target, ArmExpression Index) : ArmExpression;
