using System.Net;
using System.Text.Json;
using Finsam.Cli;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// `finsam api`: the members' read API served by Kestrel on a loopback port over a published release of the samples,
/// called over HTTP as Kolada's clients call it (their requests as their sources send them).
/// </summary>
public sealed class ApiCommandTests(ApiCommandTests.Published published) : IClassFixture<ApiCommandTests.Published>, IAsyncLifetime
{
    /// <summary>The samples ingested and released once, in a local folder, for every test.</summary>
    public sealed class Published : IAsyncLifetime
    {
        public TempFolder Folder { get; } = new();

        public async Task InitializeAsync()
        {
            var store = new LocalFolderBlobStore(Path.Combine(Folder.Path, "storage"));
            using var world = await PublishWorld.SamplesAsync(store);
            await world.BuildAndPublishAsync();
        }

        public Task DisposeAsync()
        {
            Folder.Dispose();
            return Task.CompletedTask;
        }
    }

    private readonly TempFolder _folder = published.Folder;
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        foreach (var api in _apis) await api.DisposeAsync();
    }

    private readonly List<LocalReadApi> _apis = [];

    /// <summary>The API on a free loopback port over the samples' release.</summary>
    private async Task<LocalReadApi> StartAsync(string? keys = null)
    {
        var api = await LocalReadApi.StartAsync(Path.Combine(_folder.Path, "storage"), Path.Combine(_folder.Path, "work-" + Guid.NewGuid().ToString("N")[..8]), keys);
        _apis.Add(api);
        return api;
    }

    [Fact]
    public async Task Koladapys_get_values_request_is_answered_with_the_member_values()
    {
        var client = await StartAsync();
        // koladapy (api.py) joins "data/" to its base URL and sends the three parts, the page and per_page as a query string.
        var page = await client.JsonAsync("v3/data/?kpi_id=deltagare&municipality_id=aspdalen&year=2025&page=1&per_page=5000");

        Assert.Equal(1, page.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_url").ValueKind);
        var data = page.GetProperty("values")[0];
        Assert.Equal(("deltagare", "aspdalen", 2025), (data.GetProperty("kpi").GetString(), data.GetProperty("municipality").GetString(), data.GetProperty("period").GetInt32()));
        // Aspdalen's registrations with personal data in 2025 (through March): 15 women and 8 men.
        Assert.Equal([("T", 23m, false), ("K", 15m, false), ("M", 8m, false)],
            data.GetProperty("values").EnumerateArray().Select(v => (v.GetProperty("gender").GetString()!, v.GetProperty("value").GetDecimal(), v.GetProperty("isdeleted").GetBoolean())));
        // The same in v2's path form, with v2's paging fields.
        var v2 = await client.JsonAsync("v2/data/kpi/deltagare/municipality/aspdalen/year/2025");
        Assert.Equal(23m, v2.GetProperty("values")[0].GetProperty("values")[0].GetProperty("value").GetDecimal());
        Assert.True(v2.TryGetProperty("next_page", out _));
    }

    [Fact]
    public async Task A_v3_client_following_next_url_reads_every_kpi_and_keeps_its_key()
    {
        var client = await StartAsync(keys: "medlem-a,medlem-b");
        var all = (await client.JsonAsync("v3/kpi?code=medlem-b")).GetProperty("values").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
        Assert.True(all.Count > 40, $"{all.Count} KPIs");

        // rKolada and koladapy follow next_url as it is until it is null.
        var read = new List<string>();
        string? next = "v3/kpi?per_page=10&code=medlem-a";
        var pages = 0;
        while (next is not null)
        {
            var page = await client.JsonAsync(next);
            read.AddRange(page.GetProperty("values").EnumerateArray().Select(k => k.GetProperty("id").GetString()!));
            next = page.GetProperty("next_url").GetString();
            if (next is not null)
            {
                Assert.StartsWith(client.Client.BaseAddress!.ToString() + "v3/kpi?", next);
                Assert.Contains("code=medlem-a", next);
            }
            pages++;
        }
        Assert.Equal(all, read);
        Assert.Equal((all.Count + 9) / 10, pages);
    }

    [Fact]
    public async Task Without_a_key_a_member_gets_401_with_the_ways_to_give_one_and_a_header_key_is_taken()
    {
        var client = await StartAsync(keys: "medlem-a");

        var refused = await client.JsonAsync("v3/municipality", HttpStatusCode.Unauthorized);
        Assert.Equal("Give your key as ?code=… or in the header x-functions-key.", refused.GetProperty("error").GetString());
        await client.JsonAsync("v3/municipality?code=fel", HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v3/municipality?type=L");
        request.Headers.Add(ReadApiHost.KeyHeader, "medlem-a");
        using var response = await client.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var places = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["Exempellän"], places.GetProperty("values").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_parameter_the_API_does_not_take_is_a_400_naming_it_and_an_unknown_id_selects_nothing()
    {
        var client = await StartAsync();

        var refused = await client.JsonAsync("v3/data/kpi/deltagare/year/2025?from_dat=2026-01-01", HttpStatusCode.BadRequest);
        Assert.Equal("This API does not take 'from_dat' here; it takes kpi_id, municipality_id, year, from_date, page, per_page, version, code.", refused.GetProperty("error").GetString());
        var unknown = await client.JsonAsync("v3/data/kpi/finns_inte/year/2025");
        Assert.Equal(0, unknown.GetProperty("count").GetInt32());
        Assert.Empty(unknown.GetProperty("values").EnumerateArray());
        // Kolada's organisational units: a federation has none, so the list is empty (not a 404 a client takes for an error).
        var ou = await client.JsonAsync("v3/ou?municipality=aspdalen&title=skola");
        Assert.Equal((0, JsonValueKind.Null), (ou.GetProperty("values").GetArrayLength(), ou.GetProperty("next_url").ValueKind));
        await client.JsonAsync("v2/ou?version=9", HttpStatusCode.NotFound);
        var versions = await client.JsonAsync("versions/kpi");
        Assert.Equal(1, versions[0].GetProperty("version").GetInt32());
        await client.JsonAsync("versions/curated", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_query_name_in_other_letters_is_read_as_its_own_and_a_part_without_ids_is_refused()
    {
        var client = await StartAsync();

        var upper = await client.JsonAsync("v3/data/?KPI_ID=deltagare&Municipality_Id=aspdalen&year=2025");
        Assert.Equal(["deltagare"], upper.GetProperty("values").EnumerateArray().Select(d => d.GetProperty("kpi").GetString()));
        var empty = await client.JsonAsync("v3/data/?kpi_id=&year=2025", HttpStatusCode.BadRequest);
        Assert.Equal("kpi in the query string names no id: give one or more, comma-separated.", empty.GetProperty("error").GetString());
        // A page parameter in other letters is replaced on the next page, not repeated.
        var first = await client.JsonAsync("v3/kpi?per_page=10&Page=1");
        Assert.Equal(client.Client.BaseAddress + "v3/kpi?per_page=10&page=2", first.GetProperty("next_url").GetString());
    }

    [Fact]
    public async Task Without_keys_a_name_that_is_not_localhost_and_an_open_endpoint_from_the_configuration_are_refused()
    {
        var settings = new Dictionary<string, string>
        {
            [FinsamSettings.Key(o => o.Storage.LocalFolder)] = Path.Combine(_folder.Path, "storage"),
            // .NET's Uri calls the name "loopback" a loopback address; Kestrel binds every interface for it.
            ["Kestrel:Endpoints:Open:Url"] = "http://0.0.0.0:0",
        };
        var named = Assert.Throws<FinsamConfigurationException>(() => ReadApiHost.Build(TestConfiguration.From(settings), "http://loopback:7071"));
        Assert.StartsWith("The read API would answer anyone at http://loopback:7071 without a key.", named.Message);

        var app = ReadApiHost.Build(TestConfiguration.From(settings), "http://127.0.0.1:0");
        _apps.Add(app);
        var open = await Assert.ThrowsAsync<FinsamConfigurationException>(() => ReadApiHost.StartAsync(app));
        Assert.StartsWith("The read API would answer anyone at http://0.0.0.0:", open.Message);
    }

    [Fact]
    public async Task Finsam_api_refuses_to_serve_an_open_address_without_keys()
    {
        var console = new TestConsole().Width(400);
        var exit = await CliApp.RunAsync(["api", "--urls", "http://0.0.0.0:7098", "--storage", Path.Combine(_folder.Path, "storage")], console,
            TestConfiguration.From(new Dictionary<string, string>()), TextReader.Null);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains("The read API would answer anyone at http://0.0.0.0:7098 without a key.", console.Output);
    }
}
