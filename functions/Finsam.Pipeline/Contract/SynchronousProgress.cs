namespace Finsam.Pipeline.Contract;

/// <summary>
/// Reports on the calling thread, so lines appear in order and before what follows
/// (Progress&lt;T&gt; would post them to the thread pool).
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
