using System.Text.Json;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// The places members recognise, over a release of a real county (<see cref="CountyData"/>, Örebro län, written in
/// reference/federations.csv as 18, Örebro län, 0018 and ÖREBRO LÄN): one county with Kolada's region id and its name in the
/// API, the member files and the places, and Kolada's municipality_groups as the county and all federations with their
/// federations by name.
/// </summary>
public sealed class CountyApiTests(CountyApiTests.Released released) : IClassFixture<CountyApiTests.Released>
{
    /// <summary>The county ingested, built and released once in a local folder, and `finsam api` over it.</summary>
    public sealed class Released : IAsyncLifetime
    {
        public TempFolder Folder { get; } = new();
        public LocalReadApi Api { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var store = new LocalFolderBlobStore(Path.Combine(Folder.Path, "storage"));
            await CountyData.WriteAsync(store);
            await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
            var options = new ModelOptions(RepoPaths.Queries, Path.Combine(Folder.Path, "work")) { Threads = 2 };
            using (var build = await ModelBuild.RunAsync(store, options))
                await new Publisher(store).PublishAsync(build, options);
            Api = await LocalReadApi.StartAsync(Path.Combine(Folder.Path, "storage"), Path.Combine(Folder.Path, "api-work"));
        }

        public async Task DisposeAsync()
        {
            await Api.DisposeAsync();
            Folder.Dispose();
        }
    }

    private readonly TempFolder _folder = released.Folder;
    private readonly LocalReadApi _api = released.Api;

    private static List<(string Id, string Title, string Type)> Places(JsonElement page) =>
        page.GetProperty("values").EnumerateArray()
            .Select(p => (p.GetProperty("id").GetString()!, p.GetProperty("title").GetString()!, p.GetProperty("type").GetString()!)).ToList();

    [Fact]
    public async Task A_county_is_Koladas_region_id_with_its_name_and_groups_list_each_county_and_all_federations_with_their_federations()
    {
        // rKolada's get_municipality(region_type = "L") and the same for the federations.
        Assert.Equal([("0018", "Örebro län", "L"), ("0019", "Västmanlands län", "L")], Places(await _api.JsonAsync("v3/municipality?region_type=L")));
        Assert.Equal([("lindby", "Samordningsförbundet Lindby", "F")], Places(await _api.JsonAsync("v3/municipality/lindby")));
        Assert.Equal([("alla", "Alla förbund", "A")], Places(await _api.JsonAsync("v2/municipality?type=A")));
        Assert.Equal(["0018"], Places(await _api.JsonAsync("v3/municipality?title=örebro")).Select(p => p.Id));

        // municipality_groups, as Kolada answers them: id, title, members with member_id and member_title.
        var groups = (await _api.JsonAsync("v3/municipality_groups")).GetProperty("values").EnumerateArray()
            .Select(g => (g.GetProperty("id").GetString(), g.GetProperty("title").GetString(),
                string.Join(", ", g.GetProperty("members").EnumerateArray().Select(m => $"{m.GetProperty("member_id").GetString()} {m.GetProperty("member_title").GetString()}"))))
            .ToList();
        Assert.Equal([
            ("0018", "Örebro län", "lindby Samordningsförbundet Lindby, mossa Samordningsförbundet Mossa, norrang Samordningsförbundet Norräng, oxhalla Samordningsförbundet Oxhalla"),
            ("0019", "Västmanlands län", "sydvik Samordningsförbundet Sydvik"),
            ("alla", "Alla förbund", "lindby Samordningsförbundet Lindby, mossa Samordningsförbundet Mossa, norrang Samordningsförbundet Norräng, " +
                                     "oxhalla Samordningsförbundet Oxhalla, sydvik Samordningsförbundet Sydvik"),
        ], groups);
        var one = await _api.JsonAsync("v2/municipality_groups/0019?title=VÄSTMANLAND");
        Assert.Equal(1, one.GetProperty("count").GetInt32());
        Assert.Equal(0, (await _api.JsonAsync("v3/municipality_groups/18")).GetProperty("count").GetInt32());
        var refused = await _api.JsonAsync("v3/municipality_groups?type=L", System.Net.HttpStatusCode.BadRequest);
        Assert.Equal("This API does not take 'type' here; it takes title, page, per_page, version, code.", refused.GetProperty("error").GetString());

        // The county's data under its region id: the annual reports' 799 + 108 + 242 = 1 149 participants.
        var data = await _api.JsonAsync("v3/data/kpi/deltagare_totalt/municipality/0018/year/2025");
        Assert.Equal(1149m, data.GetProperty("values")[0].GetProperty("values").EnumerateArray().Single(v => v.GetProperty("gender").GetString() == "T").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task The_member_files_name_each_place_and_places_lists_every_federation_of_each_level()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        var pulled = Path.Combine(_folder.Path, "pulled");
        await new VersionPuller(store).PullAsync(PublishedLayout.KpiDataset, "latest", pulled);

        var kpi = File.ReadAllLines(Path.Combine(pulled, "kpi.csv"));
        Assert.StartsWith("kpi_id,scope,scope_id,scope_namn,period,", kpi[0]);
        var names = kpi.Skip(1).Select(l => l.Split(',')).Select(c => (c[1], c[2], c[3])).Distinct().Order().ToList();
        Assert.Equal([
            ("alla", "alla", "Alla förbund"), ("forbund", "lindby", "Samordningsförbundet Lindby"), ("forbund", "mossa", "Samordningsförbundet Mossa"),
            ("forbund", "norrang", "Samordningsförbundet Norräng"), ("forbund", "oxhalla", "Samordningsförbundet Oxhalla"),
            ("forbund", "sydvik", "Samordningsförbundet Sydvik"), ("lan", "0018", "Örebro län"), ("lan", "0019", "Västmanlands län"),
        ], names);
        var places = File.ReadAllLines(Path.Combine(pulled, "places.csv"));
        Assert.Equal("scope,scope_id,scope_namn,federation_id,federation_namn", places[0]);
        Assert.Equal(15, places.Length - 1); // 5 federations, 5 in their counties, 5 in all
        Assert.Contains("lan,0018,Örebro län,oxhalla,Samordningsförbundet Oxhalla", places);
    }
}
