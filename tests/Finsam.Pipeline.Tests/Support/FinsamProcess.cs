using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// The real `finsam` program as a child process (<c>dotnet finsam.dll …</c> from the tests' output folder, where the
/// project reference puts it), with its output kept line by line. Disposing it kills it if it still runs.
/// </summary>
public sealed class FinsamProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private FinsamProcess(Process process) => _process = process;

    /// <summary>Starts finsam with <paramref name="environment"/> instead of any Finsam setting of the test's own environment.</summary>
    public static FinsamProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "finsam.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Finsam", StringComparison.OrdinalIgnoreCase) || k == "BUILD_SCHEDULE").ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var started = new FinsamProcess(process);
        process.OutputDataReceived += (_, e) => started.Add(e.Data);
        process.ErrorDataReceived += (_, e) => started.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it wrote so far, stdout and stderr.</summary>
    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    /// <summary>The lines so far that match.</summary>
    public int Count(Func<string, bool> match)
    {
        lock (_lines) return _lines.Count(match);
    }

    /// <summary>The first line from now on that matches (lines already written do not count).</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match, TimeSpan deadline)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines) _waiters.Add((match, seen));
        try
        {
            return await seen.Task.WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"finsam wrote no such line within {deadline.TotalSeconds} s. Its output:\n{Output}");
        }
    }

    /// <summary>SIGKILL: no chance to finish anything.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM, as a service manager or `docker stop` sends it.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"finsam did not exit within {deadline.TotalSeconds} s. Its output:\n{Output}");
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(15_000);
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
