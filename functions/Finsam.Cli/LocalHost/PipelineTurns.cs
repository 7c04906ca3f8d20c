namespace Finsam.Cli.LocalHost;

/// <summary>
/// Ingestion and build-and-publish take turns in the local host: a build never reads a pass of landing half done (a
/// ledger's new transactions beside the month's old opening balances, or January of a delivery without February), and
/// the two do not compete for the same cores. The core does not need this to be correct (every curated partition is
/// replaced atomically, the build reads a snapshot, and the next build publishes the consistent state: the Functions
/// app runs the two apart on any number of instances); in one process it costs nothing.
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
