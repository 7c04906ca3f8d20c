using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Versions;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Publishing.Report;
using Finsam.Pipeline.Tests.Support;
using Microsoft.Playwright;
using MiniExcelLibs;
using Xunit.Abstractions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// The published HTML report, opened from a pulled folder in headless Chromium (Debian's chromium, which
/// .ci/run installs): every chart renders, every table is there, no script error and no network request;
/// every year is shown with each value's status.
/// </summary>
public class ReportTests(ITestOutputHelper output) : IDisposable
{
    private readonly LocalStoreFactory _stores = new();
    private readonly TempFolder _pulled = new();

    /// <summary>Chromium from FINSAM_CHROMIUM, else Debian's /usr/bin/chromium.</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("FINSAM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The report of the latest kpi version in the store, opened in Chromium; errors and requests other than the file are collected.</summary>
    private sealed class OpenedReport : IAsyncDisposable
    {
        public required IPlaywright Playwright { get; init; }
        public required IBrowser Browser { get; init; }
        public required IPage Page { get; init; }
        public List<string> Errors { get; } = [];
        public List<string> Requests { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    private static async Task<OpenedReport> OpenAsync(string report)
    {
        Assert.True(File.Exists(Chromium), $"Chromium is needed for this test: install Debian's chromium package (.ci/run does) or set FINSAM_CHROMIUM. Looked for {Chromium}.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var opened = new OpenedReport { Playwright = playwright, Browser = browser, Page = page };
        page.PageError += (_, error) => opened.Errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") opened.Errors.Add(message.Text); };
        page.Request += (_, request) => { if (!request.Url.StartsWith("file://", StringComparison.Ordinal)) opened.Requests.Add(request.Url); };
        await page.GotoAsync(new Uri(report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return opened;
    }

    /// <summary>No script error, no network request, and every chart (the fixed ones and each level's trend) drawn with data.</summary>
    private static async Task AssertRenderedAsync(OpenedReport report)
    {
        var page = report.Page;
        Assert.Empty(report.Errors);
        Assert.Empty(report.Requests);
        Assert.Empty(await page.EvaluateAsync<string[]>("window.reportErrors"));
        var canvases = await page.EvaluateAsync<string[]>("Array.from(document.querySelectorAll('canvas')).map(c => c.id)");
        Assert.Equal(canvases.Length.ToString(), await page.GetAttributeAsync("body", "data-charts-rendered"));
        Assert.Superset(HtmlReport.ChartIds.ToHashSet(), canvases.ToHashSet());
        foreach (var id in canvases)
        {
            Assert.Equal("true", await page.GetAttributeAsync($"#{id}", "data-rendered"));
            // Chart.js drew a chart with data into the canvas.
            Assert.True(await page.EvaluateAsync<bool>($"(() => {{ const c = Chart.getChart('{id}'); return !!c && c.data.datasets.length > 0 && c.width > 0; }})()"), id);
            Assert.Equal(1, await page.Locator($"#table-{id}").CountAsync());
        }
    }

    [Fact]
    public async Task The_report_renders_in_chromium_with_every_chart_and_table_and_no_script_error()
    {
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        await world.BuildAndPublishAsync();
        var manifest = await new VersionPuller(store).PullAsync(PublishedLayout.KpiDataset, "latest", _pulled.Path);
        await using var report = await OpenAsync(Path.Combine(_pulled.Path, "rapport.html"));
        var page = report.Page;

        await AssertRenderedAsync(report);
        foreach (var id in HtmlReport.ChartIds) Assert.True(await page.IsVisibleAsync($"#{id}"), id);
        foreach (var table in new[] { "table-oversikt-2025", "table-kvalitet", "table-underlag", "table-forbund-aspdalen-2025", "table-forbund-bjorkvik-2025",
                     "table-forbund-ekstrand-2025", "table-forbund-granmo-2025", "table-forbund-alla-2025", "table-forbund-Exempellän-2025", "table-trend-granmo" })
            Assert.True(await page.Locator($"#{table} tbody tr").CountAsync() > 0, table);

        // Labels come from the catalog; the manifest summary names the version and every input file.
        Assert.Contains($"Version {manifest.Version}", await page.InnerTextAsync("p.lead"));
        // One row per federation and kind of export (4 × 2, and volumes of aspdalen and ekstrand).
        Assert.Equal(10, await page.Locator("#table-underlag tbody tr").CountAsync());
        Assert.Equal("aspdalen ledger 3 2025-01 2025-03", string.Join(' ', (await page.Locator("#table-underlag tbody tr:first-child td").AllInnerTextsAsync()).Take(5)));
        Assert.Contains($"byggd av {manifest.Inputs.Count} indatafiler", await page.InnerTextAsync("#underlag + p"));
        Assert.Equal("Administrationens andel av medelstilldelningen", await page.GetAttributeAsync("#table-oversikt-2025 thead th:nth-child(5)", "title"));
        Assert.Contains("Administrationens andel av medelstilldelningen", await page.InnerTextAsync("#table-trend-aspdalen"));
        // 2025 runs through March: every value is preliminary, marked with a "p".
        Assert.Equal("1\u202f200\u202f000 krp", (await page.InnerTextAsync("#table-oversikt-2025 tbody tr:first-child td:nth-child(3)")).Trim());
        Assert.Equal("Preliminärt: året är inte komplett (t.o.m. 2025-03)",
            await page.GetAttributeAsync("#table-oversikt-2025 tbody tr:first-child td:nth-child(3) .status-prel", "title"));
        // Suppressed participant figures are shown as "..".
        Assert.Contains("..", await page.InnerTextAsync("#table-forbund-aspdalen-2025"));
        // The participant table as in the annual reports. Aspdalen has 23 registrations with personal data (19 persons), 3 anonymous,
        // 21 by volume (4 + 3 + 5 + 2 + 3 + 4), 47 in all and 55 structural (18 + 6 + 0 + 0 + 22 + 9): the 3 anonymous are a small
        // count, which 47 − 23 − 21 would give; the 21 by volume are also what the interventions' participants less their unique
        // ones add up to, so the total goes; the 19 persons give the 4 repeat registrations. All federations: the 11 anonymous are
        // the sum of four federations' small counts, each hidden, and may be published (they pin none of them).
        Assert.Equal("23 registrerade med personuppgifter, .. anonyma, 21 volymregistrerade, totalt .. i individinriktade insatser " +
                     "(.. unika personer med personuppgifter); 55 i strukturövergripande insatser.",
            await page.InnerTextAsync("#summary-aspdalen-2025"));
        Assert.Equal("76 registrerade med personuppgifter, 11 anonyma, 37 volymregistrerade, totalt 124 i individinriktade insatser " +
                     "(65 unika personer med personuppgifter); 74 i strukturövergripande insatser.",
            await page.InnerTextAsync("#summary-alla-2025"));
        Assert.Equal(8, await page.Locator("#table-deltagare-aspdalen-2025 tbody tr").CountAsync());

        var screenshot = Environment.GetEnvironmentVariable("FINSAM_REPORT_SCREENSHOT") is { Length: > 0 } target ? target : Path.Combine(_pulled.Path, "report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = false });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    [Fact]
    public async Task The_county_report_and_workbook_show_the_county_and_all_federations_participants_and_the_marker_only_where_a_value_is_hidden()
    {
        var store = _stores.Create();
        await CountyData.WriteAsync(store);
        await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        using var work = new TempFolder();
        var options = new ModelOptions(RepoPaths.Queries, work.Path) { Threads = 2 };
        using var build = await ModelBuild.RunAsync(store, options);
        await new Publisher(store).PublishAsync(build, options);
        await new VersionPuller(store).PullAsync(PublishedLayout.KpiDataset, "latest", _pulled.Path);
        await using var report = await OpenAsync(Path.Combine(_pulled.Path, "rapport.html"));
        var page = report.Page;
        await AssertRenderedAsync(report);

        // The annual reports' sentence for the county and for all federations, every figure published (Oxhalla's 163 and
        // Mossa's 86 by volume, less its missing June's 7; 72 + 221 + 243 + 263 = 799 registrations with personal data, as the annual
        // reports add them; some persons are in two interventions: 776 persons).
        Assert.Equal(776m, build.Session.Query("select value from kpi where kpi_id = 'deltagare_med_personuppgifter' and scope = 'lan' and period = '2025' and kon = 'T'").Rows.Single()[0]);
        Assert.Equal("799 registrerade med personuppgifter, 108 anonyma, 242 volymregistrerade, totalt 1\u202f149 i individinriktade insatser " +
                     "(776 unika personer med personuppgifter); 332 i strukturövergripande insatser.",
            await page.InnerTextAsync($"#summary-{CountyData.County}-2025"));
        Assert.Equal(await page.InnerTextAsync($"#summary-{CountyData.County}-2025"), await page.InnerTextAsync("#summary-alla-2025"));
        // The county by its name, whichever way reference/federations.csv wrote it (18, Örebro län, 0018, ÖREBRO LÄN), and the federations by theirs.
        Assert.Equal("Örebro län", (await page.InnerTextAsync($"#forbund-{CountyData.County}")).Trim());
        Assert.Equal("Samordningsförbundet Norräng", (await page.InnerTextAsync("#forbund-norrang")).Trim());
        foreach (var level in new[] { CountyData.County, "alla" })
            Assert.DoesNotContain(Marker.Suppressed, await page.InnerTextAsync($"#table-deltagare-{level}-2025"));
        // The marker where members' files hide a value, and its legend with it: a federation's small counts are hidden.
        var marked = await page.Locator("td", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*\.\.\s*$") }).CountAsync();
        Assert.True(marked > 0);
        Assert.Contains("visas som ..", await page.InnerTextAsync("p.note"));

        // The workbook's participant sheet: the county's and all federations' participant groups, women, men and all, are there.
        string[] groups = ["deltagare", "deltagare_anonyma", "deltagare_volym", "deltagare_totalt", "deltagare_med_personuppgifter", "deltagare_struktur"];
        var sheet = MiniExcel.Query(Path.Combine(_pulled.Path, "nyckeltal.xlsx"), useHeaderRow: true, sheetName: "Deltagare").Cast<IDictionary<string, object?>>()
            .Where(r => r["Nivå (scope)"] is "lan" or "alla" && r["Period"] is "2025" && groups.Contains((string)r["Nyckeltal (kpi_id)"]!))
            .ToList();
        Assert.Equal(2 * groups.Length * 3, sheet.Count);
        Assert.Equal(["Alla förbund", "Örebro län"], sheet.Select(r => (string)r["Namn (scope_namn)"]!).Distinct().Order(StringComparer.Ordinal));
        Assert.All(sheet, r => Assert.True(r["Skyddad (suppressed)"] is false && r["Värde (value)"] is double, $"{r["Nyckeltal (kpi_id)"]} {r["Förbund/län (scope_id)"]} {r["Kön (kon)"]}"));

        // The screenshot, in the test's output folder.
        var screenshot = Path.Combine(AppContext.BaseDirectory, "county-report.png");
        await page.Locator($"#summary-{CountyData.County}-2025").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = false });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        output.WriteLine($"Screenshot of the county report: {screenshot}; {marked} values marked as hidden");
    }

    [Fact]
    public async Task Every_year_is_shown_with_statuses_and_a_federation_without_data_in_the_latest_year_keeps_its_sections()
    {
        // Alfa: 2024 complete (November–December), 2025 through February without January's participant export.
        // Beta: 2024 only, with an account no rule maps in December (its 2024 finance is withheld).
        static string Month(string period) => $"""
            V1;{period}-10;1930;300000,00;;
            V1;{period}-10;3010;-200000,00;;
            V1;{period}-10;3020;-100000,00;;
            V2;{period}-20;4010;60000,00;;
            V2;{period}-20;6410;20000,00;;
            V2;{period}-20;1930;-80000,00;;
            """;
        static string People(string prefix, int serial, string start) => string.Join('\n', Enumerable.Range(0, 6).Select(i =>
            $"{prefix}{i + 1};{TestPersons.Number(1975 + i, 5, 10, serial + i)};nej;{(i < 3 ? "K" : "M")};;9901;{prefix}-MT;MT;individ;{start};;;;;"));
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2024-11", Month("2024-11")).Ledger("alfa", "2024-12", Month("2024-12"))
            .Ledger("alfa", "2025-01", Month("2025-01")).Ledger("alfa", "2025-02", Month("2025-02"))
            .Participants("alfa", "2024-12", People("A", 100, "2024-12-01"))
            .Participants("alfa", "2025-02", People("A", 100, "2024-12-01"))
            .Ledger("beta", "2024-11", Month("2024-11"))
            .Ledger("beta", "2024-12", Month("2024-12") + "\nV3;2024-12-28;9100;500,00;;\nV3;2024-12-28;1930;-500,00;;")
            .Participants("beta", "2024-12", People("B", 200, "2024-12-02"));
        using (var build = await scenario.BuildAsync())
        {
            Assert.Empty(build.AssertionFailures);
            await new Publisher(scenario.Store).PublishAsync(build, scenario.Options);
        }
        await new VersionPuller(scenario.Store).PullAsync(PublishedLayout.KpiDataset, "latest", _pulled.Path);
        await using var report = await OpenAsync(Path.Combine(_pulled.Path, "rapport.html"));
        var page = report.Page;

        await AssertRenderedAsync(report);
        // Every year, latest first; each overview has only the levels with data that year: beta is in 2024, not in 2025.
        Assert.Equal(["2025", "2024"], await page.Locator("h3[id^=oversikt-]").AllInnerTextsAsync());
        Assert.Equal(["Samordningsförbundet Alfa", "Testlän", "Alla förbund"], await FirstCellsAsync(page, "#table-oversikt-2025"));
        Assert.Equal(["Samordningsförbundet Alfa", "Samordningsförbundet Beta", "Testlän", "Alla förbund"], await FirstCellsAsync(page, "#table-oversikt-2024"));
        // Beta's sections are filled from its latest year, 2024, with its trend.
        Assert.True(await page.Locator("#table-forbund-beta-2024 tbody tr").CountAsync() > 10);
        Assert.Equal(0, await page.Locator("#table-forbund-beta-2025").CountAsync());
        Assert.Equal(["Nyckeltal", "2024"], await page.Locator("#table-trend-beta thead th").AllInnerTextsAsync());
        Assert.Equal(["Nyckeltal", "2025", "2024"], await page.Locator("#table-trend-alfa thead th").AllInnerTextsAsync());
        Assert.Equal(8, await page.Locator("#table-deltagare-alfa-2025 tbody tr").CountAsync());
        Assert.Equal(8, await page.Locator("#table-deltagare-beta-2024 tbody tr").CountAsync());

        // Statuses on every value: alfa's 2024 is final (no marker), its 2025 finance preliminary, its 2025 participants
        // flagged for the missing January export; beta's 2024 finance withheld for the unmapped account.
        var alfa2024 = page.Locator("#table-oversikt-2024 tbody tr:first-child");
        Assert.Equal(0, await alfa2024.Locator(".status, .withheld").CountAsync());
        Assert.Equal("600\u202f000 kr", (await alfa2024.Locator("td:nth-child(3)").InnerTextAsync()).Trim());
        var alfa2025 = page.Locator("#table-oversikt-2025 tbody tr:first-child");
        Assert.Equal("600\u202f000 krp", (await alfa2025.Locator("td:nth-child(3)").InnerTextAsync()).Trim());
        Assert.Equal("brist – missing_participant_month:alfa:2025:2025-01",
            await alfa2025.Locator("td:nth-child(8) .status-brist").GetAttributeAsync("title"));
        // Nobody of alfa's ended in 2025: the share to work or studies does not exist ("–"), flagged; it is not withheld.
        Assert.Equal("–b", (await alfa2025.Locator("td:nth-child(9)").InnerTextAsync()).Trim());
        Assert.Equal(0, await alfa2025.Locator("td:nth-child(9) .withheld").CountAsync());
        var beta2024 = page.Locator("#table-oversikt-2024 tbody tr:nth-child(2)");
        Assert.Equal("brist", (await beta2024.Locator("td:nth-child(3)").InnerTextAsync()).Trim());
        Assert.Equal("Undanhållet: brist – unmapped_account:beta:2024:9100", await beta2024.Locator("td:nth-child(3) .withheld").GetAttributeAsync("title"));
        // The county's 2024 finance covers alfa alone and is flagged with beta's finding; its participants cover both: the row
        // says 1–2 federations, and each flagged value how many it covers.
        var county2024 = page.Locator("#table-oversikt-2024 tbody tr:nth-child(3)");
        Assert.Equal("2024-12, 1–2 förbund", (await county2024.Locator("td:nth-child(2)").InnerTextAsync()).Trim());
        Assert.Equal("brist – unmapped_account:beta:2024:9100 (omfattar 1 förbund)", await county2024.Locator("td:nth-child(3) .status-brist").GetAttributeAsync("title"));
        Assert.Contains("brist: unmapped_account:beta:2024:9100", await page.InnerTextAsync("#table-forbund-beta-2024"));
        Assert.Contains("missing_participant_month:alfa:2025:2025-01", await page.InnerTextAsync("#table-kvalitet"));
    }

    private static async Task<IReadOnlyList<string>> FirstCellsAsync(IPage page, string table) =>
        (await page.Locator($"{table} tbody tr td:first-child").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    public void Dispose()
    {
        _stores.Dispose();
        _pulled.Dispose();
    }
}
