using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// A real Azurite blob service, started as a child process on a free loopback port for the tests
/// (there is no Docker here). Azurite comes from npm, pinned to 3.35.0 (newer needs Node 22); when it
/// is not installed yet under .tools/azurite, the fixture installs it there first.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Version = "3.35.0";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;
    private readonly TempFolder _data = new();

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        var executable = await EnsureInstalledAsync();
        Port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", _data.Path,
                     "--skipApiVersionCheck", "--disableTelemetry", "--silent" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {Port} within 60 s.");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            // Waits for the output readers to finish too, so none of them runs after Dispose.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
            _process.Dispose();
        }
        _data.Dispose();
    }

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private static async Task<string> EnsureInstalledAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("AZURITE_BLOB");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        var prefix = Path.Combine(RepoPaths.Root, ".tools", "azurite");
        var executable = Path.Combine(prefix, "node_modules", ".bin", "azurite-blob");
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(executable)) return executable;
            var npm = new ProcessStartInfo("npm") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "install", "--prefix", prefix, $"azurite@{Version}", "--no-audit", "--no-fund", "--loglevel=error" })
                npm.ArgumentList.Add(arg);
            using var process = Process.Start(npm) ?? throw new InvalidOperationException("npm could not be started; install Node.js and npm.");
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(executable))
                throw new InvalidOperationException($"npm install azurite@{Version} failed ({process.ExitCode}): {await stderr}");
            return executable;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
