using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Publishing.Report;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Playwright;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// The published HTML report, opened from a pulled folder in headless Chromium (Debian's chromium, which
/// .ci/run installs): every chart renders, every table is there, no script error and no network request.
/// </summary>
public class ReportTests : IDisposable
{
    private readonly LocalStoreFactory _stores = new();
    private readonly TempFolder _pulled = new();

    /// <summary>Chromium from FINSAM_CHROMIUM, else Debian's /usr/bin/chromium.</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("FINSAM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task The_report_renders_in_chromium_with_every_chart_and_table_and_no_script_error()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is needed for this test: install Debian's chromium package (.ci/run does) or set FINSAM_CHROMIUM. Looked for {Chromium}.");
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        await world.BuildAndPublishAsync();
        var manifest = await new VersionPuller(store).PullAsync(Publisher.KpiDataset, "latest", _pulled.Path);
        var report = Path.Combine(_pulled.Path, "rapport.html");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.Request += (_, request) => { if (!request.Url.StartsWith("file://", StringComparison.Ordinal)) requests.Add(request.Url); };

        await page.GotoAsync(new Uri(report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        Assert.Empty(errors);
        Assert.Empty(requests);
        Assert.Empty(await page.EvaluateAsync<string[]>("window.reportErrors"));
        Assert.Equal(HtmlReport.ChartIds.Length.ToString(), await page.GetAttributeAsync("body", "data-charts-rendered"));
        foreach (var id in HtmlReport.ChartIds)
        {
            Assert.Equal("true", await page.GetAttributeAsync($"#{id}", "data-rendered"));
            // Chart.js drew a chart with data into the canvas.
            Assert.True(await page.EvaluateAsync<bool>($"(() => {{ const c = Chart.getChart('{id}'); return !!c && c.data.datasets.length > 0 && c.width > 0; }})()"), id);
            Assert.True(await page.IsVisibleAsync($"#{id}"), id);
            Assert.Equal(1, await page.Locator($"#table-{id}").CountAsync());
        }
        foreach (var table in new[] { "table-oversikt", "table-kvalitet", "table-underlag", "table-forbund-aspdalen", "table-forbund-bjorkvik", "table-forbund-ekstrand", "table-forbund-granmo", "table-forbund-alla" })
            Assert.True(await page.Locator($"#{table} tbody tr").CountAsync() > 0, table);

        // Labels come from the catalog; the manifest summary names the version and every input file.
        Assert.Contains($"Version {manifest.Version}", await page.InnerTextAsync("p.lead"));
        // One row per federation and kind of export (4 × 2, and volumes of aspdalen and ekstrand).
        Assert.Equal(10, await page.Locator("#table-underlag tbody tr").CountAsync());
        Assert.Equal("aspdalen ledger 3 2025-01 2025-03", string.Join(' ', (await page.Locator("#table-underlag tbody tr:first-child td").AllInnerTextsAsync()).Take(5)));
        Assert.Contains($"byggd av {manifest.Inputs.Count} indatafiler", await page.InnerTextAsync("#underlag + p"));
        Assert.Contains("Administrationens andel av medelstilldelningen", await page.InnerTextAsync("#table-oversikt thead"));
        Assert.Equal("1\u202f200\u202f000 kr", (await page.InnerTextAsync("#table-oversikt tbody tr:first-child td:nth-child(2)")).Trim());
        // Suppressed participant figures are shown as "..".
        Assert.Contains("..", await page.InnerTextAsync("#table-forbund-aspdalen"));

        var screenshot = Environment.GetEnvironmentVariable("FINSAM_REPORT_SCREENSHOT") is { Length: > 0 } target ? target : Path.Combine(_pulled.Path, "report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = false });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    public void Dispose()
    {
        _stores.Dispose();
        _pulled.Dispose();
    }
}
