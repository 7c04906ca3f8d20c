using System.Diagnostics;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// What a long protection is doing, for the person waiting on it (<c>finsam release</c>): each step as it starts, and within a
/// step at most one line every <paramref name="every"/>, so that a release of many minutes shows that it moves and where,
/// and a quick one prints a few lines.
/// </summary>
/// <param name="prefix">What every line begins with: the step's name.</param>
internal sealed class ProtectionProgress(IProgress<string>? progress, TimeSpan every, string prefix = "protection: ")
{
    /// <summary>The least time between two lines within a step.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromSeconds(10);

    private readonly Stopwatch _since = Stopwatch.StartNew();

    /// <summary>A step begins or ends: always said.</summary>
    public void Step(string text)
    {
        if (progress is null) return;
        progress.Report(prefix + text);
        _since.Restart();
    }

    /// <summary>How far a step has come: said when <c>every</c> has passed since the last line.</summary>
    public void Within(Func<string> text)
    {
        if (progress is null || _since.Elapsed < every) return;
        progress.Report(prefix + text());
        _since.Restart();
    }
}
