using Finsam.Cli;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console.Testing;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// `finsam host` in-process on a local folder: its settings, and how it stops, fails and gives up. The end-to-end test of
/// the real program on Azurite is <see cref="LocalHostEndToEndTests"/>.
/// </summary>
public sealed class LocalHostTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    /// <summary>Once a year: no build gets in the way of a test about ingestion.</summary>
    private const string NoBuild = "0 0 0 1 1 *";

    private readonly TempFolder _folder = new();
    private readonly LocalFolderBlobStore _store;
    private readonly CapturedLogs _logs = new();

    public LocalHostTests() => _store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--schedule|not cron", "", "BUILD_SCHEDULE ('not cron') is not a six-field NCRONTAB expression (second minute hour day month weekday)")]
    [InlineData("", "BUILD_SCHEDULE=*/5 * * * *", "BUILD_SCHEDULE ('*/5 * * * *') is not a six-field NCRONTAB expression")]
    [InlineData("", "Finsam:Privacy:PseudonymKey=", "Finsam__Privacy__PseudonymKey is not set. This host ingests participant files and needs the pseudonymisation key")]
    [InlineData("", "Finsam:Privacy:PseudonymKey=c2hvcnQ=", "Finsam__Privacy__PseudonymKey is not usable: The pseudonymisation key is 5 bytes; at least 32 are required.")]
    [InlineData("--poll|soon", "", "--poll 'soon' is neither seconds (30) nor hh:mm:ss (00:00:30).")]
    [InlineData("--poll|0", "", "Finsam__LocalHost__PollInterval ('00:00:00') must be positive (e.g. 00:00:30).")]
    [InlineData("", "Finsam:LocalHost:PollInterval=soon", "Failed to convert configuration value 'soon' at 'Finsam:LocalHost:PollInterval' to type 'System.TimeSpan'.")]
    [InlineData("", "Finsam:LocalHost:MaxAttempts=0", "Finsam__LocalHost__MaxAttempts ('0') must be at least 1.")]
    [InlineData("--log-format|xml", "", "Argument 'xml' not recognized. Must be one of:")]
    public async Task A_wrong_setting_ends_the_host_at_once_with_exit_code_2_and_a_message_naming_it(string flags, string setting, string message)
    {
        var env = new Dictionary<string, string> { ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64 };
        if (setting.Split('=', 2) is [var name, var value]) env[name] = value;
        var console = new TestConsole().Width(400);
        string[] args = ["host", "--storage", _store.RootFolder, .. flags.Split('|', StringSplitOptions.RemoveEmptyEntries)];

        var exit = await CliApp.RunAsync(args, console, TestConfiguration.From(env), TextReader.Null);

        Assert.Equal(2, exit);
        Assert.Contains(message, console.Output);
        Assert.DoesNotContain("   at ", console.Output);
    }

    [Fact]
    public async Task Finsam_host_ingests_what_lands_until_it_is_cancelled_then_exits_0()
    {
        await Samples.SeedReferenceAsync(_store);
        await DropAsync("granmo/2025-01/granmo-huvudbok-2025-01.csv", "granmo/2025-01/granmo_deltagare_202501.csv");
        using var cancel = new CancellationTokenSource();
        var env = new Dictionary<string, string> { ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64, [FinsamSettings.BuildSchedule] = NoBuild };

        var host = CliApp.RunAsync(["host", "--storage", _store.RootFolder, "--poll", "0.2"], new TestConsole(), TestConfiguration.From(env), TextReader.Null, cancel.Token);
        await WaitUntilAsync(async () => (await LandingAsync()).Count == 0);
        cancel.Cancel();

        Assert.Equal(0, await host.WaitAsync(Deadline));
        Assert.Equal(2, (await new LandingReceipts(_store).AllAsync(default)).Count(r => r.State == LandingReceipts.Processed));
    }

    [Fact]
    public async Task Asked_to_stop_in_the_middle_of_a_file_it_finishes_that_file_and_leaves_the_rest_in_landing()
    {
        await Samples.SeedReferenceAsync(_store);
        await Samples.DropAllAsync(_store);
        var slow = new PausingStore(_store, (operation, container, name) => operation == PausingStore.Write && container == Containers.Curated && name.StartsWith("registrations/"));
        using var host = Host(slow, new() { [FinsamSettings.BuildSchedule] = NoBuild });
        var poller = host.Services.GetServices<IHostedService>().OfType<LandingPoller>().Single();

        await poller.StartAsync(default);
        await slow.Paused.WaitAsync(Deadline);
        var stopping = poller.StopAsync(default);
        slow.Release();
        await stopping.WaitAsync(Deadline);

        Assert.Equal(28, (await LandingAsync()).Count);
        Assert.DoesNotContain("aspdalen/2025-01/aspdalen_deltagare_202501.csv", await LandingAsync());
        Assert.Equal(["registrations/federation=aspdalen/period=2025-01/data.parquet"],
            await _store.ListAsync(Containers.Curated, "registrations/").Select(b => b.Name).ToListAsync());
        Assert.Equal(["accepted"], (await new IngestionLog(_store).AllEntriesAsync(default)).Select(e => e.Status));
        Assert.Equal(
            ["Stopping: the file in hand was finished (1 file(s) done in this pass); what is left stays in landing", "Stopped polling landing"],
            Messages<LandingPoller>().Skip(1));
    }

    [Fact]
    public async Task Asked_to_stop_in_the_middle_of_a_build_it_cancels_the_build_and_publishes_nothing()
    {
        await Samples.IngestAllAsync(_store);
        var slow = new PausingStore(_store, (operation, container, prefix) => operation == PausingStore.List && container == Containers.Curated && prefix == "ledger/");
        using var host = Host(slow, new() { [FinsamSettings.BuildSchedule] = "* * * * * *" });
        var schedule = host.Services.GetServices<IHostedService>().OfType<ScheduledBuild>().Single();

        await schedule.StartAsync(default);
        await slow.Paused.WaitAsync(Deadline);
        var stopping = schedule.StopAsync(default);
        slow.Release();
        await stopping.WaitAsync(Deadline);

        Assert.Empty(await _store.ListAsync(Containers.Published).ToListAsync());
        Assert.Equal(
            ["Build and publish cancelled by the shutdown; a version not yet committed is not published", "Stopped the schedule of Build and publish"],
            Messages<ScheduledBuild>().Skip(1));
    }

    [Fact]
    public async Task At_03_00_UTC_the_host_deletes_the_participant_originals_past_their_years_as_the_Functions_app_does()
    {
        await Samples.IngestAllAsync(_store);
        var rawBefore = (await _store.ListAsync(Containers.Raw).ToListAsync()).Count;
        // Five seconds before 03:00 on 1 January 2027 (time for the host to start on a busy machine; a start after 03:00 would
        // make the job due the next day): the samples' months (2025) are past 2025 + 1 year.
        using var host = Host(_store, new() { [FinsamSettings.BuildSchedule] = NoBuild, [FinsamSettings.ReleaseSchedule] = NoBuild },
            new ShiftedClock(new DateTimeOffset(2027, 1, 1, 2, 59, 55, 0, TimeSpan.Zero)));

        await host.StartAsync(default);
        await WaitUntilAsync(() => Task.FromResult(Messages<NightlyRetention>().Count >= 2));
        await host.StopAsync(default);

        Assert.Equal("Retention of originals on the schedule 0 0 3 * * * (UTC); next run at 2027-01-01 03:00:00Z", Messages<NightlyRetention>()[0]);
        Assert.Equal("Retention of originals: 12 original(s) deleted from raw/ and 0 rejected file(s) from quarantine/, kept through 1 year(s) after their month's year",
            Messages<NightlyRetention>()[1]);
        Assert.Equal(rawBefore - 12, (await _store.ListAsync(Containers.Raw).ToListAsync()).Count);
        Assert.DoesNotContain(Messages<DailyDeliveryCheck>().Skip(1), m => !m.StartsWith("Stopped the schedule"));
    }

    [Fact]
    public async Task At_07_00_UTC_from_the_due_day_the_host_names_each_federation_without_last_months_file()
    {
        await Samples.IngestAllAsync(_store);
        // The samples run through 2025-03; on 10 May 2025 April is due (five seconds before 07:00, as above).
        using var host = Host(_store, new() { [FinsamSettings.BuildSchedule] = NoBuild, [FinsamSettings.ReleaseSchedule] = NoBuild },
            new ShiftedClock(new DateTimeOffset(2025, 5, 10, 6, 59, 55, 0, TimeSpan.Zero)));

        await host.StartAsync(default);
        await WaitUntilAsync(() => Task.FromResult(Messages<DailyDeliveryCheck>().Count >= 5));
        await host.StopAsync(default);

        Assert.Equal(
            new[] { "aspdalen", "bjorkvik", "ekstrand", "granmo" }.Select(f => $"Federation {f} has no accepted file for 2025-04 by day 10 of the next month; its latest month is 2025-03"),
            Messages<DailyDeliveryCheck>().Skip(1).Take(4));
        Assert.Equal(LogLevel.Warning, _logs.Entries.First(e => e.Message.StartsWith("Federation aspdalen")).Level);
        // Nothing is past its years in May 2025: the retention at 03:00 did not run, and the originals are all there.
        Assert.Equal(Samples.LandingFiles().Count(), (await _store.ListAsync(Containers.Raw).ToListAsync()).Count);
    }

    /// <summary>The system clock moved to start at another time: the job's first occurrence is due a moment after the start.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan _shift = start - System.GetUtcNow();
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _shift;
    }

    [Fact]
    public async Task A_build_that_fails_is_logged_and_the_host_runs_on()
    {
        await Samples.SeedReferenceAsync(_store);
        var broken = new FailingStore(_store, (operation, container, name) => operation == PausingStore.List && container == Containers.Curated && name == "ledger/");
        using var host = Host(broken, new() { [FinsamSettings.BuildSchedule] = "* * * * * *", ["Finsam:LocalHost:PollInterval"] = "00:00:00.2" });

        await host.StartAsync(default);
        await WaitUntilAsync(() => Task.FromResult(Messages<ScheduledBuild>().Count(m => m.StartsWith("Build and publish failed")) >= 2));
        await DropAsync("granmo/2025-01/granmo-huvudbok-2025-01.csv");
        await WaitUntilAsync(async () => (await LandingAsync()).Count == 0);
        await host.StopAsync(default);

        var failure = _logs.Entries.First(e => e.Message.StartsWith("Build and publish failed"));
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.StartsWith("System.IO.IOException: the disk is on fire", (string)failure.Values["Error"]!);
        Assert.Contains("Stopped the schedule of Build and publish", Messages<ScheduledBuild>());
    }

    [Fact]
    public async Task A_file_that_keeps_failing_is_given_up_logged_once_with_its_receipt_and_the_host_runs_on()
    {
        await Samples.SeedReferenceAsync(_store);
        const string failing = "aspdalen/2025-01/aspdalen_huvudbok_202501.se";
        await DropAsync(failing);
        var faulty = new FailingStore(_store, (operation, container, name) => operation == PausingStore.Write && name.StartsWith("ledger/federation=aspdalen/"));
        using var host = Host(faulty, new()
        {
            [FinsamSettings.BuildSchedule] = NoBuild,
            ["Finsam:LocalHost:PollInterval"] = "00:00:00.1",
            ["Finsam:LocalHost:MaxAttempts"] = "3",
            ["Finsam:Storage:TransientAttempts"] = "2",
            ["Finsam:Storage:RetryDelay"] = "00:00:00",
        });

        await host.StartAsync(default);
        var givenUp = await _logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains(" is given up after "), Deadline);
        await DropAsync("bjorkvik/2025-01/bjorkvik_huvudbok_202501.se");
        await WaitUntilAsync(async () => (await LandingAsync()).SequenceEqual([failing]));
        await host.StopAsync(default);

        var receipt = Assert.Single(await new LandingReceipts(_store).AllAsync(default), r => r.LandingName == failing);
        Assert.Equal((LandingReceipts.Poisoned, 3), (receipt.State, receipt.Attempts));
        Assert.Equal(6, faulty.Failures);
        Assert.Equal(LogLevel.Error, givenUp.Level);
        Assert.Equal($"{Containers.Curated}/{LandingReceipts.NameOf(failing, receipt.ETag)}", givenUp.Values["Receipt"]);
        Assert.NotNull(await _store.GetInfoAsync(Containers.Curated, LandingReceipts.NameOf(failing, receipt.ETag)));
        Assert.Equal(
            [
                "Landing blob aspdalen/2025-01/aspdalen_huvudbok_202501.se could not be processed (IOException: the disk is on fire); attempt 1 of 3",
                "Landing blob aspdalen/2025-01/aspdalen_huvudbok_202501.se could not be processed (IOException: the disk is on fire); attempt 2 of 3",
                "Landing blob aspdalen/2025-01/aspdalen_huvudbok_202501.se is given up after 3 failed attempts (IOException: the disk is on fire); it stays in landing, " +
                $"recorded as poisoned in curated/{LandingReceipts.NameOf(failing, receipt.ETag)}. Drop it again, or delete the receipt to try again",
            ],
            _logs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message));
    }

    /// <summary>The local host as `finsam host` composes it, on <paramref name="store"/>, with its logs captured instead of printed.</summary>
    private IHost Host(IBlobStore store, Dictionary<string, string?> settings, TimeProvider? clock = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Finsam:Privacy:PseudonymKey"] = TestPersons.KeyBase64,
            ["Finsam:Models:WorkFolder"] = Path.Combine(_folder.Path, "work"),
            ["Finsam:Models:Threads"] = "2",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(store);
        if (clock is not null) builder.Services.AddSingleton(clock);
        builder.AddFinsamLocalHost(jsonLogs: false);
        builder.Logging.ClearProviders().AddProvider(_logs);
        var host = builder.Build();
        LocalHostRegistration.CheckSettings(host.Services);
        return host;
    }

    private List<string> Messages<T>() => _logs.Entries.Where(e => e.Category == typeof(T).FullName).Select(e => e.Message).ToList();

    private async Task DropAsync(params string[] samples)
    {
        foreach (var name in samples) await _store.WriteAsync(Containers.Landing, name, Samples.File(name), WriteCondition.Overwrite);
    }

    private Task<List<string>> LandingAsync() => _store.ListAsync(Containers.Landing).Select(b => b.Name).ToListAsync().AsTask();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Not done within {Deadline.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Every matching listing or write fails, as a disk or a network that is down.</summary>
    private sealed class FailingStore(IBlobStore inner, Func<string, string, string, bool> fails) : DelegatingBlobStore(inner)
    {
        private int _failures;
        public int Failures => _failures;

        public override Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default) =>
            fails(PausingStore.Write, container, name) ? Fail<BlobInfo>() : base.WriteAsync(container, name, content, condition, ct);

        public override IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken ct = default) =>
            fails(PausingStore.List, container, prefix) ? FailingListing() : base.ListAsync(container, prefix, ct);

        private Task<T> Fail<T>()
        {
            Interlocked.Increment(ref _failures);
            return Task.FromException<T>(new IOException("the disk is on fire"));
        }

        private async IAsyncEnumerable<BlobInfo> FailingListing()
        {
            await Fail<int>();
            yield break;
        }
    }
}
