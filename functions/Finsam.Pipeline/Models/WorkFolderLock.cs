using System.Collections.Concurrent;

namespace Finsam.Pipeline.Models;

/// <summary>
/// One build at a time per work folder. A build's curated cache, scratch files, DuckDB temporary folder and outputs live
/// in the work folder, and a second build there would replace files the first is reading (two timers firing together in
/// one Functions instance, or `finsam release` beside `finsam host`). Held from the start of a build until it is
/// disposed: in-process by a semaphore, across processes by an exclusive lock file.
/// </summary>
internal sealed class WorkFolderLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _semaphore;
    private readonly FileStream _file;
    private bool _disposed;

    private WorkFolderLock(SemaphoreSlim semaphore, FileStream file) => (_semaphore, _file) = (semaphore, file);

    public static async Task<WorkFolderLock> AcquireAsync(string workFolder, IProgress<string>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(workFolder);
        var semaphore = InProcess.GetOrAdd(Path.GetFullPath(workFolder), _ => new SemaphoreSlim(1, 1));
        if (!await semaphore.WaitAsync(0, ct))
        {
            progress?.Report("waiting for another build in this work folder to finish");
            await semaphore.WaitAsync(ct);
        }
        try
        {
            var path = Path.Combine(workFolder, ".build.lock");
            for (var reported = false; ; await Task.Delay(200, ct))
            {
                try
                {
                    return new WorkFolderLock(semaphore, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (!reported)
                {
                    progress?.Report($"waiting for another process's build in {workFolder} to finish");
                    reported = true;
                }
                catch (IOException)
                {
                    // Still held by the other process.
                }
            }
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _file.Dispose();
        _semaphore.Release();
    }
}
