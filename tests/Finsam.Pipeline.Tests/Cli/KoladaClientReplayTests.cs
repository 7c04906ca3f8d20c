using System.Text.Json;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// The requests of Kolada's public clients, replayed against `finsam api` over a release of the samples as their sources
/// send them (read with their commits: rKolada LCHansson/rKolada 8afe11f R/data.R, R/metadata.R, R/aaa_utils.R; koladapy
/// xemarap/koladapy b60f2b0 koladapy/api.py; pykolada rubenselander/pykolada f974e69 pykolada/pykolada.py; the JavaScript
/// kolada, buren/kolada 5803895 lib/data-client.js, lib/meta-client.js; kolada-scraper RasmusLindroth/kolada-scraper
/// e875eca kolada/KoladaScraper.py), each answer read for the fields that client reads and paged the way it pages.
/// </summary>
public sealed class KoladaClientReplayTests(ApiCommandTests.Published published) : IClassFixture<ApiCommandTests.Published>, IAsyncLifetime
{
    private LocalReadApi _api = null!;

    public async Task InitializeAsync() =>
        _api = await LocalReadApi.StartAsync(Path.Combine(published.Folder.Path, "storage"), Path.Combine(published.Folder.Path, "work-" + Guid.NewGuid().ToString("N")[..8]));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>A value as every client flattens it: KPI, place, year, gender, value, status.</summary>
    private static IEnumerable<(string Kpi, string Place, int Year, string Gender, decimal? Value, string Status)> Flatten(JsonElement page) =>
        page.GetProperty("values").EnumerateArray().SelectMany(d => d.GetProperty("values").EnumerateArray().Select(v =>
            (d.GetProperty("kpi").GetString()!, d.GetProperty("municipality").GetString()!, d.GetProperty("period").GetInt32(), v.GetProperty("gender").GetString()!,
             v.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null : v.GetProperty("value").GetDecimal(), v.GetProperty("status").GetString()!)));

    /// <summary>What a client should end with: the same query in one v3 page.</summary>
    private async Task<List<(string, string, int, string, decimal?, string)>> ExpectedAsync(string kpis, string places, string years) =>
        Flatten(await _api.JsonAsync($"v3/data/kpi/{kpis}/municipality/{places}/year/{years}?per_page=5000")).ToList();

    [Fact]
    public async Task RKolada_counts_its_own_pages_until_next_url_is_null_and_reads_its_metadata_fields()
    {
        // kolada_available(): any 200.
        await _api.JsonAsync("v3/kpi?per_page=1");
        // get_values(): the path form, page and per_page appended, the page counted by the client until next_url is null
        // or values is empty; here 3 a page to make it page.
        var values = new List<(string, string, int, string, decimal?, string)>();
        var pages = 0;
        for (var page = 1; ; page++)
        {
            var answer = await _api.JsonAsync($"v3/data/kpi/deltagare,deltagare_totalt/municipality/aspdalen,granmo/year/2025?page={page}&per_page=3");
            pages++;
            if (answer.GetProperty("values").GetArrayLength() == 0) break;
            values.AddRange(Flatten(answer));
            if (answer.GetProperty("next_url").GetString() is null or "") break;
        }
        Assert.Equal(await ExpectedAsync("deltagare,deltagare_totalt", "aspdalen,granmo", "2025"), values);
        Assert.Equal(2, pages); // 4 entries, 3 a page
        // isdeleted on the values only (tidyr::unnest fails on the same column at two levels).
        var entry = (await _api.JsonAsync("v3/data/kpi/deltagare/municipality/aspdalen/year/2025?page=1&per_page=5000")).GetProperty("values")[0];
        Assert.False(entry.TryGetProperty("isdeleted", out _));
        Assert.All(entry.GetProperty("values").EnumerateArray(), v => Assert.False(v.GetProperty("isdeleted").GetBoolean()));
        // from_date, after per_page: no release before 2020, so every value.
        Assert.Equal(values, Flatten(await _api.JsonAsync("v3/data/kpi/deltagare,deltagare_totalt/municipality/aspdalen,granmo/year/2025?page=1&per_page=5000&from_date=2020-01-01")));

        // get_kpi(), get_municipality(region_type), get_kpi_groups(), get_municipality_groups(), get_ou(), title lowercased.
        var titled = (await _api.JsonAsync("v3/kpi?title=medelstilldelning&page=1&per_page=5000")).GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(["admin_andel_medelstilldelning", "bidrag_andel", "eget_kapital_andel", "medelstilldelning"], titled.Select(k => k.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        var kpi = titled.Single(k => k.GetProperty("id").GetString() == "medelstilldelning");
        foreach (var field in new[] { "id", "title", "description", "operating_area", "auspice", "has_ou_data", "is_divided_by_gender", "municipality_type", "publication_date", "publ_period" })
            Assert.True(kpi.TryGetProperty(field, out _), field);
        Assert.Equal(("medelstilldelning", "ekonomi", false), (kpi.GetProperty("id").GetString(), kpi.GetProperty("operating_area").GetString(), kpi.GetProperty("is_divided_by_gender").GetBoolean()));
        var county = (await _api.JsonAsync("v3/municipality?region_type=L&page=1&per_page=5000")).GetProperty("values").EnumerateArray().Single();
        Assert.Equal(("Exempellän", "Exempellän", "L"), (county.GetProperty("id").GetString(), county.GetProperty("title").GetString(), county.GetProperty("type").GetString()));
        Assert.Equal(0, (await _api.JsonAsync("v3/municipality?region_type=K&page=1&per_page=5000")).GetProperty("count").GetInt32());
        var groups = (await _api.JsonAsync("v3/municipality_groups?page=1&per_page=5000")).GetProperty("values");
        Assert.Equal(["Exempellän", "alla"], groups.EnumerateArray().Select(g => g.GetProperty("id").GetString()));
        Assert.Equal([("aspdalen", "Samordningsförbundet Aspdalen"), ("bjorkvik", "Samordningsförbundet Björkvik"), ("ekstrand", "Finsam Ekstrand"), ("granmo", "Samordningsförbundet Granmo")],
            groups[0].GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("member_id").GetString(), m.GetProperty("member_title").GetString())));
        Assert.Equal(3, (await _api.JsonAsync("v3/kpi_groups?page=1&per_page=5000")).GetProperty("count").GetInt32());
        Assert.Equal(0, (await _api.JsonAsync("v3/ou?municipality=aspdalen&page=1&per_page=5000")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Koladapy_sends_repeated_keys_type_and_single_items_without_paging()
    {
        // get_values(): data/ with a trailing slash, every list item its own key, page and per_page; stops when next_url is empty.
        var answer = await _api.JsonAsync("v3/data/?kpi_id=deltagare&kpi_id=deltagare_totalt&municipality_id=aspdalen&municipality_id=granmo&year=2025&page=1&per_page=5000");
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("next_url").ValueKind);
        Assert.Equal(await ExpectedAsync("deltagare,deltagare_totalt", "aspdalen,granmo", "2025"), Flatten(answer).ToList());
        // The values it flattens: gender, count, status, value, isdeleted.
        var value = answer.GetProperty("values")[0].GetProperty("values")[0];
        Assert.Equal(["gender", "count", "status", "value", "isdeleted"], value.EnumerateObject().Select(p => p.Name));

        // get_municipalities(title, type): type=, not region_type.
        var federations = (await _api.JsonAsync("v3/municipality?title=samordningsf%C3%B6rbundet&type=F&page=1&per_page=5000")).GetProperty("values");
        Assert.Equal(["aspdalen", "bjorkvik", "granmo"], federations.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        // get_kpi(id), get_municipality(id), get_municipality_group(id): no paging, values[0] read.
        Assert.Equal("Deltagare med personuppgifter (registreringar)", (await _api.JsonAsync("v3/kpi/deltagare")).GetProperty("values")[0].GetProperty("title").GetString());
        Assert.Equal("Finsam Ekstrand", (await _api.JsonAsync("v3/municipality/ekstrand")).GetProperty("values")[0].GetProperty("title").GetString());
        Assert.Equal(4, (await _api.JsonAsync("v3/municipality_groups/alla")).GetProperty("values")[0].GetProperty("members").GetArrayLength());
        Assert.Equal(["kostnad_total", "medelstilldelning"],
            (await _api.JsonAsync("v3/kpi/medelstilldelning,kostnad_total?page=1&per_page=5000")).GetProperty("values").EnumerateArray().Select(k => k.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Pykolada_reads_v2_following_next_page_with_its_default_of_55_years_and_its_kpi_filters()
    {
        // get_data() without years: 1970–2024 in the path, and the years asked for here.
        var years = string.Join(',', Enumerable.Range(1970, 56));
        var values = (await _api.PagesAsync($"v2/data/kpi/deltagare,medelstilldelning/municipality/aspdalen,granmo/year/{years}", "next_page"))
            .SelectMany(Flatten).ToList();
        Assert.Equal(await ExpectedAsync("deltagare,medelstilldelning", "aspdalen,granmo", "2025"), values);
        Assert.Contains(("medelstilldelning", "aspdalen", 2025, "T", 1_200_000m, "preliminar"), values);

        // get_kpi(title=…), (description=…), (operating_area=…), get_kpi(id), municipality(id), municipality_groups(title=…).
        var byTitle = (await _api.JsonAsync("v2/kpi?title=%C3%85LDERSGRUPP")).GetProperty("values").EnumerateArray().Select(k => k.GetProperty("id").GetString());
        Assert.Equal(["deltagare_aldersgrupp"], byTitle);
        var economy = (await _api.JsonAsync("v2/kpi?operating_area=Ekonomi")).GetProperty("values").EnumerateArray().ToList();
        Assert.Contains("medelstilldelning", economy.Select(k => k.GetProperty("id").GetString()));
        Assert.All(economy, k => Assert.Equal("ekonomi", k.GetProperty("operating_area").GetString()));
        var described = (await _api.JsonAsync("v2/kpi?description=MEMBERS%27%20CONTRIBUTIONS")).GetProperty("values").EnumerateArray().ToList();
        Assert.Contains("admin_andel_medelstilldelning", described.Select(k => k.GetProperty("id").GetString()));
        Assert.All(described, k => Assert.Contains("members' contributions", k.GetProperty("description").GetString()!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("deltagare", (await _api.JsonAsync("v2/kpi/deltagare")).GetProperty("values")[0].GetProperty("id").GetString());
        Assert.Equal("F", (await _api.JsonAsync("v2/municipality/granmo")).GetProperty("values")[0].GetProperty("type").GetString());
        Assert.Equal(["alla"], (await _api.JsonAsync("v2/municipality_groups?title=alla")).GetProperty("values").EnumerateArray().Select(g => g.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_javascript_client_ends_every_url_with_a_question_mark_and_sends_from_date_on_v2()
    {
        var data = await _api.JsonAsync("v2/data/kpi/deltagare/municipality/aspdalen/year/2025?");
        Assert.Equal([("T", 23m), ("K", 15m), ("M", 8m)], Flatten(data).Select(v => (v.Gender, v.Value!.Value)));
        // municipality/{id}/year/{year}?from_date=…: every value of the place, as no release came before that date.
        var since = await _api.JsonAsync("v2/data/municipality/aspdalen/year/2025?from_date=2015-02-28");
        Assert.Equal(Flatten(await _api.JsonAsync("v2/data/municipality/aspdalen/year/2025")), Flatten(since));
        Assert.Equal("deltagare", (await _api.JsonAsync("v2/kpi/deltagare?")).GetProperty("values")[0].GetProperty("id").GetString());
        Assert.Equal(["deltagare"], (await _api.JsonAsync("v2/kpi_groups?title=Deltagare")).GetProperty("values").EnumerateArray().Select(g => g.GetProperty("id").GetString()));
        Assert.Equal("aspdalen", (await _api.JsonAsync("v2/municipality/aspdalen?")).GetProperty("values")[0].GetProperty("id").GetString());
        Assert.Equal(2, (await _api.JsonAsync("v2/municipality_groups?")).GetProperty("values").GetArrayLength());
        Assert.Equal(0, (await _api.JsonAsync("v2/ou?municipality=aspdalen")).GetProperty("values").GetArrayLength());
    }

    [Fact]
    public async Task Kolada_scraper_joins_its_paths_with_two_slashes_and_follows_next_page_when_there_is_one()
    {
        Assert.True((await _api.JsonAsync("v2//kpi")).GetProperty("values").GetArrayLength() > 40);
        Assert.Equal(6, (await _api.JsonAsync("v2//municipality")).GetProperty("values").GetArrayLength()); // 4 federations, the county, all
        var groups = (await _api.JsonAsync("v2//municipality_groups")).GetProperty("values").EnumerateArray().Select(g => (g.GetProperty("id").GetString(), g.GetProperty("title").GetString()));
        Assert.Equal([("Exempellän", "Exempellän"), ("alla", "Alla förbund")], groups);
        // Its data request, a Kolada group id (G…) mixed into the places: the group selects nothing, the rest is read.
        var values = (await _api.PagesAsync("v2/data/kpi/deltagare/municipality/aspdalen,G124026/year/2025,2024", "next_page")).SelectMany(Flatten).ToList();
        Assert.Equal(await ExpectedAsync("deltagare", "aspdalen", "2025"), values);
    }
}
