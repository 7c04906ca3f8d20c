namespace Finsam.Cli.LocalHost;

/// <summary>
/// Ingestion and the scheduled jobs take turns in the local host: a build does not start in the middle of a pass over
/// landing, and they do not compete for the same cores. Correctness does not rest on it: every curated partition is
/// replaced atomically, a build reads a snapshot in its cache, two builds in one work folder wait for each other (the
/// core's work-folder lock), and the next build publishes the state after a delivery — which is how the Functions app
/// runs. In one process it costs nothing.
/// </summary>
public sealed class PipelineTurns : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for the turn; disposing the result gives it back.</summary>
    public async Task<IDisposable> TakeAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    public void Dispose() => _turn.Dispose();

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0) turn.Release();
        }
    }
}
