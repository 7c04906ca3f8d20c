using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Finsam.Bench;

/// <summary>
/// `api-load STORAGE [clients] [seconds]`: `finsam api`'s host on a loopback port over the published kpi release in the
/// storage folder (the national one after `models-publish`), and many clients paging /api/v3/data as rKolada and koladapy
/// do (KPI by KPI, following next_url), for a bounded time. Prints the requests, errors, latency percentiles and the
/// process's peak working set; the release is loaded by a first request before the clock starts.
/// </summary>
public static class ApiLoadBenchmark
{
    /// <summary>The seconds of JIT warm-up at the start, reported apart.</summary>
    private const int WarmUpSeconds = 5;

    /// <param name="cacheMegabytes">Finsam__Api__AnswerCacheMegabytes: 0 makes every answer anew (the worst case: no two members ask the same).</param>
    public static void Run(string storage, int clients, int seconds, int cacheMegabytes = 64) => RunAsync(storage, clients, seconds, cacheMegabytes).GetAwaiter().GetResult();

    private static async Task RunAsync(string storage, int clients, int seconds, int cacheMegabytes)
    {
        var work = Path.Combine(Path.GetTempPath(), "finsam-bench", "api-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FinsamSettings.Key(o => o.Storage.LocalFolder)] = storage,
            [FinsamSettings.Key(o => o.Models.WorkFolder)] = work,
            [FinsamSettings.Key(o => o.Api.AnswerCacheMegabytes)] = cacheMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        await using var app = ReadApiHost.Build(configuration, "http://127.0.0.1:0");
        await ReadApiHost.StartAsync(app);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(ReadApiHost.Addresses(app).Single() + "/api/") };

        var load = Stopwatch.StartNew();
        var kpis = await ReadAllAsync(http, "v3/kpi", _ => { });
        Console.WriteLine($"release loaded and {kpis.Count} KPIs listed in {load.Elapsed.TotalSeconds:F1} s");
        var ids = kpis.Select(k => k.GetProperty("id").GetString()!).ToList();

        // Each request's latency and when it ended (seconds into the run): the first seconds are the JIT's warm-up.
        var latencies = new ConcurrentBag<(double At, double Ms)>();
        var errors = 0;
        var values = 0L;
        var peak = 0L;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var self = Process.GetCurrentProcess();
                peak = Math.Max(peak, self.WorkingSet64);
                try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = c; !stop.IsCancellationRequested; i += clients)
            {
                try
                {
                    await ReadAllAsync(http, $"v3/data/kpi/{ids[i % ids.Count]}/year/2024,2025?per_page=500", ms => latencies.Add((clock.Elapsed.TotalSeconds, ms)), stop.Token,
                        page => Interlocked.Add(ref values, page.GetProperty("values").GetArrayLength()), keep: false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"client {c}: {e.Message}");
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        await sampler;
        var sorted = latencies.Select(l => l.Ms).Order().ToArray();
        var warm = latencies.Where(l => l.At >= WarmUpSeconds).Select(l => l.Ms).Order().ToArray();
        static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        Console.WriteLine($"{clients} clients, {elapsed:F0} s: {sorted.Length:N0} requests ({sorted.Length / elapsed:F0}/s), {values:N0} data entries, {errors} error(s); " +
                          $"latency p50 {Percentile(sorted, 0.50):F1} ms, p95 {Percentile(sorted, 0.95):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted.LastOrDefault():F1} ms; " +
                          $"after the first {WarmUpSeconds} s: p99 {Percentile(warm, 0.99):F1} ms; peak working set {peak / (1 << 20):N0} MB");
        var (hits, misses) = app.Services.GetRequiredService<Finsam.Pipeline.ReadApi.ReadApiAnswerCache>().Counts;
        Console.WriteLine($"answers kept and reused: {hits:N0} from the cache, {misses:N0} made");
        await app.StopAsync();
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    /// <summary>
    /// Every value of a paged answer, following next_url; each request's latency to <paramref name="timed"/>. The load's
    /// clients keep nothing (<paramref name="keep"/> false): they share the process with the API, and garbage of theirs
    /// would pause it too.
    /// </summary>
    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient http, string url, Action<double> timed, CancellationToken ct = default,
        Action<JsonElement>? onPage = null, bool keep = true)
    {
        var all = new List<JsonElement>();
        string? next = url;
        while (next is not null)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(next, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            timed(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{next}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            using var document = JsonDocument.Parse(body);
            var page = document.RootElement;
            onPage?.Invoke(page);
            if (keep) all.AddRange(page.GetProperty("values").EnumerateArray().Select(v => v.Clone()));
            next = page.GetProperty("next_url").GetString();
        }
        return all;
    }
}
