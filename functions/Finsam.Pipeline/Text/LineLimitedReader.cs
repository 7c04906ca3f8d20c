namespace Finsam.Pipeline.Text;

/// <summary>
/// Passes text on unchanged, except a line longer than <paramref name="maxLine"/> characters: that line is passed on as its
/// line break alone (an empty line) and given to <paramref name="onTooLong"/> (its number, first characters and length). It is
/// never held whole, so a file of one endless line costs a buffer of the limit's size, and nothing after it is read as part of
/// it. Lines end at \r\n, \n or \r, as CsvHelper counts them, so line numbers after an over-long line stay right.
/// </summary>
internal sealed class LineLimitedReader(TextReader inner, int maxLine, Action<int, string, long> onTooLong) : TextReader
{
    /// <summary>Room for a whole line at the limit and its line break, so a line within the limit is always seen to end.</summary>
    private readonly char[] _buffer = new char[Math.Max(maxLine + 2, 1 << 16)];
    private int _start;      // the next character to pass on
    private int _ready;      // characters before this are checked: whole lines within the limit, or a line break
    private int _end;        // characters read from the inner reader
    private bool _innerDone;
    private int _line = 1;   // the number of the line that starts at _ready
    private bool _afterCr;   // the last character checked was \r: a \n right after it ends no line of its own

    public override int Read(Span<char> buffer)
    {
        if (_start == _ready && !Check()) return 0;
        var n = Math.Min(buffer.Length, _ready - _start);
        _buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read() => _start < _ready || Check() ? _buffer[_start++] : -1;

    public override int Peek() => _start < _ready || Check() ? _buffer[_start] : -1;

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Makes more checked text ready; false at the end of the text.</summary>
    private bool Check()
    {
        Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = _ready = 0;
        Fill();
        var pos = 0;
        while (pos < _end)
        {
            if (_afterCr)
            {
                _afterCr = false;
                if (_buffer[pos] == '\n')
                {
                    pos++;
                    continue;
                }
            }
            var window = _buffer.AsSpan(pos, Math.Min(_end - pos, maxLine + 1));
            var at = window.IndexOfAny('\r', '\n');
            if (at >= 0)
            {
                pos += at + 1;
                _line++;
                _afterCr = _buffer[pos - 1] == '\r';
                continue;
            }
            if (window.Length <= maxLine)
            {
                // The last line, or one that goes on past what was read (then pos > 0: the buffer holds more than the limit).
                if (_innerDone) pos = _end;
                break;
            }
            if (pos > 0) break; // the lines before it go first; next time it starts the buffer
            SkipLongLine();
            return _ready > _start || Check();
        }
        _ready = pos;
        return _ready > _start;
    }

    /// <summary>The line at the start of the buffer is over the limit: reports it, then drops it up to its line break, which is made ready.</summary>
    private void SkipLongLine()
    {
        var start = new string(_buffer, 0, Math.Min(_end, TextOverLimit.StartLength));
        long length = 0;
        while (true)
        {
            var at = _buffer.AsSpan(0, _end).IndexOfAny('\r', '\n');
            if (at >= 0)
            {
                onTooLong(_line++, start, length + at);
                _afterCr = _buffer[at] == '\r';
                _start = at;
                _ready = at + 1;
                return;
            }
            length += _end;
            _end = 0;
            Fill();
            if (_end == 0)
            {
                // The last line, without a line break: nothing of it is passed on.
                onTooLong(_line, start, length);
                return;
            }
        }
    }

    private void Fill()
    {
        while (_end < _buffer.Length && !_innerDone)
        {
            var n = inner.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _innerDone = true;
            _end += n;
        }
    }
}
