using System.Text.Json;
using DuckDB.NET.Data;
using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.ReadApi;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>The members' read API over the published samples, called as the Functions host calls it.</summary>
[Collection(AzuriteCollection.Name)]
public class KoladaReadTests(AzuriteFixture azurite)
{
    private static HttpRequest Request(string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("finsam.example");
        context.Request.PathBase = "/api";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    /// <summary>The body as ASP.NET Core writes it (web defaults), with quotes left readable.</summary>
    private static string Json(IActionResult result) => JsonSerializer.Serialize(((ObjectResult)result).Value,
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public async Task Data_comes_back_in_the_kolada_shape()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025"),
            "kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025", CancellationToken.None);

        Assert.IsType<OkObjectResult>(result);
        Assert.Equal("""{"count":2,"values":[""" +
                     """{"kpi":"medelstilldelning","municipality":"aspdalen","period":2025,"values":[{"count":1,"gender":"T","status":"preliminar","value":1200000}]},""" +
                     """{"kpi":"medelstilldelning","municipality":"granmo","period":2025,"values":[{"count":1,"gender":"T","status":"preliminar","value":720000}]}],""" +
                     "\"previous_page\":null,\"next_page\":null}", Json(result));
    }

    [Fact]
    public async Task A_county_or_all_federations_say_how_many_federations_they_cover_as_count()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/medelstilldelning/municipality/Exempellän,alla/year/2025"),
            "kpi/medelstilldelning/municipality/Exempellän,alla/year/2025", CancellationToken.None);

        var page = (KoladaPage<KoladaData>)((OkObjectResult)result).Value!;
        // Kolada's count is the number of members behind a group's value: here the four sample federations.
        Assert.Equal([("Exempellän", 4, 4_320_000m), ("alla", 4, 4_320_000m)],
            page.Values.Select(d => (d.Municipality, d.Values.Single().Count, d.Values.Single().Value!.Value)));
    }

    [Fact]
    public async Task A_suppressed_cell_has_no_value_and_the_member_files_marker_as_status()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var member = await MemberCellsAsync(world, "avslutade");
        var suppressed = member.Where(c => c.Suppressed).ToList();
        Assert.NotEmpty(suppressed);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/avslutade/year/2025"), "kpi/avslutade/year/2025", CancellationToken.None);

        var page = (KoladaPage<KoladaData>)((OkObjectResult)result).Value!;
        var served = page.Values.SelectMany(d => d.Values.Select(v => (d.Municipality, v.Gender, v.Value, v.Status))).ToList();
        Assert.Equal(member.Count, served.Count);
        foreach (var cell in member)
        {
            var answer = served.Single(s => s.Municipality == cell.Scope && s.Gender == cell.Kon);
            Assert.Equal(cell.Suppressed ? null : cell.Value, answer.Value);
            Assert.Equal(cell.Marker, answer.Status);
            if (cell.Suppressed) Assert.Equal("..", answer.Status);
        }
    }

    [Fact]
    public async Task Unknown_ids_select_nothing_as_in_Kolada()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();

        var data = await read.Data(Request("/v2/data/kpi/no_such_kpi/year/2025"), "kpi/no_such_kpi/year/2025", CancellationToken.None);
        var kpi = await read.Kpi(Request("/v2/kpi/no_such_kpi"), "no_such_kpi", CancellationToken.None);
        var place = await read.Municipality(Request("/v2/municipality/0180"), "0180", CancellationToken.None);

        Assert.Equal("""{"count":0,"values":[],"previous_page":null,"next_page":null}""", Json(Assert.IsType<OkObjectResult>(data)));
        Assert.Equal("""{"count":0,"values":[],"previous_page":null,"next_page":null}""", Json(Assert.IsType<OkObjectResult>(kpi)));
        Assert.Equal("""{"count":0,"values":[],"previous_page":null,"next_page":null}""", Json(Assert.IsType<OkObjectResult>(place)));
    }

    [Fact]
    public async Task The_query_string_form_koladapy_sends_answers_as_the_path_form()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();

        // koladapy's get_values: GET {base}/data/?kpi_id=…&municipality_id=…&year=…&page=1&per_page=5000
        var byQuery = await read.Data(Request("/v2/data/", "?kpi_id=medelstilldelning&municipality_id=aspdalen,granmo&year=2025&page=1&per_page=5000"),
            null, CancellationToken.None);
        var byPath = await read.Data(Request("/v2/data/kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025"),
            "kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025", CancellationToken.None);

        Assert.Equal(Json(Assert.IsType<OkObjectResult>(byPath)), Json(Assert.IsType<OkObjectResult>(byQuery)));
        Assert.Equal(2, ((KoladaPage<KoladaData>)((OkObjectResult)byQuery).Value!).Count);
        var both = await read.Data(Request("/v2/data/kpi/medelstilldelning/year/2025", "?kpi_id=deltagare"), "kpi/medelstilldelning/year/2025", CancellationToken.None);
        Assert.Equal("""{"error":"Give the query either in the path (kpi/…/municipality/…/year/…) or as kpi_id, municipality_id, year, not both (kpi_id given)."}""",
            Json(Assert.IsType<BadRequestObjectResult>(both)));
        var one = await read.Data(Request("/v2/data", "?year=2025"), "", CancellationToken.None);
        Assert.Equal("""{"error":"Give at least two of kpi, municipality and year, as Kolada asks (the query string has 1)."}""",
            Json(Assert.IsType<BadRequestObjectResult>(one)));
    }

    [Fact]
    public async Task A_parameter_the_API_does_not_take_is_refused_naming_it_never_ignored()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();

        var data = await read.Data(Request("/v2/data/kpi/deltagare/year/2025", "?from_dat=2030-01-01"), "kpi/deltagare/year/2025", CancellationToken.None);
        // from_date on v2 (the JavaScript client sends it): what changed since, here nothing — no release after 2030.
        var since = await read.Data(Request("/v2/data/kpi/deltagare/year/2025", "?from_date=2030-01-01"), "kpi/deltagare/year/2025", CancellationToken.None);
        Assert.Empty(((KoladaPage<KoladaData>)Assert.IsType<OkObjectResult>(since).Value!).Values);
        var places = await read.Municipality(Request("/v2/municipality", "?kommun=x&lan=y"), null, CancellationToken.None);
        var types = await read.Municipality(Request("/v2/municipality", "?type=K&region_type=L"), null, CancellationToken.None);

        Assert.Equal("""{"error":"This API does not take 'from_dat' here; it takes kpi_id, municipality_id, year, from_date, page, per_page, version, code."}""",
            Json(Assert.IsType<BadRequestObjectResult>(data)));
        Assert.Equal("""{"error":"This API does not take 'kommun', 'lan' here; it takes title, type, region_type, page, per_page, version, code."}""",
            Json(Assert.IsType<BadRequestObjectResult>(places)));
        Assert.Equal("""{"error":"type 'K' and region_type 'L' ask for different places; give one."}""", Json(Assert.IsType<BadRequestObjectResult>(types)));
        // Names in any case, as the query collection reads them; versions/{dataset} takes the key only.
        Assert.IsType<OkObjectResult>(await read.Kpi(Request("/v2/kpi", "?Per_Page=2&TITLE=kr"), null, CancellationToken.None));
        Assert.Equal("""{"error":"This API does not take 'page' here; it takes code."}""",
            Json(Assert.IsType<BadRequestObjectResult>(await read.Versions(Request("/versions/kpi", "?page=2"), "kpi", CancellationToken.None))));
    }

    [Fact]
    public async Task Title_selects_kpis_and_places_whose_title_contains_it_in_any_case()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();

        var kpis = (KoladaPage<KoladaKpi>)((OkObjectResult)await read.Kpi(Request("/v2/kpi", "?title=MEDELSTILLDELNING"), null, CancellationToken.None)).Value!;
        var english = (KoladaPage<KoladaKpi>)((OkObjectResult)await read.Kpi(Request("/v2/kpi", "?title=members' contributions"), null, CancellationToken.None)).Value!;
        var all = (KoladaPage<KoladaKpi>)((OkObjectResult)await read.Kpi(Request("/v2/kpi"), null, CancellationToken.None)).Value!;
        var places = (KoladaPage<KoladaMunicipality>)((OkObjectResult)await read.Municipality(Request("/v2/municipality", "?title=LÄN"), null, CancellationToken.None)).Value!;

        Assert.Equal(all.Values.Where(k => k.Title.Contains("medelstilldelning", StringComparison.OrdinalIgnoreCase) || k.TitleEn.Contains("MEDELSTILLDELNING", StringComparison.OrdinalIgnoreCase)).Select(k => k.Id),
            kpis.Values.Select(k => k.Id));
        Assert.Contains("medelstilldelning", kpis.Values.Select(k => k.Id));
        Assert.True(kpis.Count < all.Count);
        Assert.Equal(["medelstilldelning"], english.Values.Select(k => k.Id));
        Assert.Equal(["Exempellän"], places.Values.Select(p => p.Id));
    }

    [Fact]
    public async Task A_malformed_query_is_a_400_with_a_message()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/deltagare/year/25"), "kpi/deltagare/year/25", CancellationToken.None);

        Assert.Equal("""{"error":"'25' is not a year: write four digits, e.g. 2025."}""", Json(Assert.IsType<BadRequestObjectResult>(result)));
    }

    [Fact]
    public async Task Pages_link_to_each_other_keeping_a_function_key_given_as_code()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/medelstilldelning/year/2025", "?per_page=2&page=2&code=secret"),
            "kpi/medelstilldelning/year/2025", CancellationToken.None);

        var page = (KoladaPage<KoladaData>)((OkObjectResult)result).Value!;
        // Four federations, a county and all: six places, two per page.
        Assert.Equal(2, page.Count);
        // Clients that cannot send a header follow next_page as it is: the key stays in it.
        Assert.Equal("https://finsam.example/api/v2/data/kpi/medelstilldelning/year/2025?per_page=2&code=secret&page=1", page.PreviousPage);
        Assert.Equal("https://finsam.example/api/v2/data/kpi/medelstilldelning/year/2025?per_page=2&code=secret&page=3", page.NextPage);
    }

    [Fact]
    public async Task The_catalog_lists_every_yearly_kpi_with_its_titles_and_not_the_monthly_ones_data_never_returns()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Kpi(Request("/v2/kpi/medelstilldelning"), "medelstilldelning", CancellationToken.None);

        var page = (KoladaPage<KoladaKpi>)((OkObjectResult)result).Value!;
        var kpi = Assert.Single(page.Values);
        Assert.Equal(("medelstilldelning", "Medelstilldelning", "Members' contributions", "kr", 0), (kpi.Id, kpi.Title, kpi.TitleEn, kpi.Unit, kpi.IsDividedByGender));
        var all = (KoladaPage<KoladaKpi>)((OkObjectResult)await world.App.Function<KoladaRead>().Kpi(Request("/v2/kpi"), null, CancellationToken.None)).Value!;
        // Every KPI of the catalog but nya_manad and avslutade_manad, which are given by month only (Kolada's period is a year).
        var catalog = File.ReadAllLines(Path.Combine(RepoPaths.Root, "queries", "kpi_catalog.csv")).Skip(1).Select(l => l.Split(';')[0]).ToList();
        Assert.Equal(catalog.Except(["nya_manad", "avslutade_manad"]).Order(StringComparer.Ordinal), all.Values.Select(k => k.Id));
        var monthly = (KoladaPage<KoladaKpi>)((OkObjectResult)await world.App.Function<KoladaRead>().Kpi(Request("/v2/kpi/nya_manad"), "nya_manad", CancellationToken.None)).Value!;
        Assert.Empty(monthly.Values);
    }

    [Fact]
    public async Task Versions_list_the_published_versions()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Versions(Request("/versions/kpi"), "kpi", CancellationToken.None);

        var version = Assert.Single((IReadOnlyList<VersionSummary>)((OkObjectResult)result).Value!);
        Assert.Equal(("kpi", 1, (int?)null, true, 29), (version.Dataset, version.Version, version.PreviousVersion, version.Latest, version.Inputs));
        Assert.IsType<NotFoundObjectResult>(await world.App.Function<KoladaRead>().Versions(Request("/versions/secret"), "secret", CancellationToken.None));
        // The controller's dataset follows every re-drop; members see only their releases.
        Assert.Equal("""{"error":"There is no dataset 'curated' for members: use kpi."}""",
            Json(Assert.IsType<NotFoundObjectResult>(await world.App.Function<KoladaRead>().Versions(Request("/versions/curated"), "curated", CancellationToken.None))));
        Assert.IsType<NotFoundObjectResult>(await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/deltagare/year/2025", "?version=7"),
            "kpi/deltagare/year/2025", CancellationToken.None));
    }

    [Fact]
    public async Task V3_data_has_the_v3_shape_next_url_and_isdeleted()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().DataV3(Request("/v3/data/kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025", "?per_page=1&code=k"),
            "kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025", CancellationToken.None);

        Assert.Equal("""{"values":[""" +
                     """{"kpi":"medelstilldelning","municipality":"aspdalen","period":2025,"values":[{"gender":"T","count":1,"status":"preliminar","value":1200000,"isdeleted":false}]}],""" +
                     "\"count\":1,\"next_url\":\"https://finsam.example/api/v3/data/kpi/medelstilldelning/municipality/aspdalen,granmo/year/2025?per_page=1&code=k&page=2\",\"previous_url\":null}",
            Json(Assert.IsType<OkObjectResult>(result)));
    }

    [Fact]
    public async Task A_v3_client_following_next_url_reads_every_kpi_and_the_v3_fields()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();
        var all = (KoladaPage<KoladaKpi>)((OkObjectResult)await read.Kpi(Request("/v2/kpi"), null, CancellationToken.None)).Value!;

        // As rKolada and koladapy page: per_page, then next_url until it is null.
        var ids = new List<string>();
        string? next = "https://finsam.example/api/v3/kpi?page=1&per_page=10";
        var pages = 0;
        while (next is not null && pages++ < 20)
        {
            var url = new Uri(next);
            var page = (KoladaPageV3<KoladaKpiV3>)((OkObjectResult)await read.KpiV3(Request(url.AbsolutePath[4..], url.Query), null, CancellationToken.None)).Value!;
            ids.AddRange(page.Values.Select(k => k.Id));
            next = page.NextUrl;
        }

        Assert.Equal(all.Values.Select(k => k.Id), ids);
        Assert.Equal((all.Count + 9) / 10, pages);
        var released = (await new DatasetVersions(world.App.Store).ResolveAsync(PublishedLayout.KpiDataset, "latest")).Created.ToString("yyyy-MM-dd");
        var one = await read.KpiV3(Request("/v3/kpi/medelstilldelning"), "medelstilldelning", CancellationToken.None);
        Assert.Equal("""{"values":[{"id":"medelstilldelning","title":"Medelstilldelning","description":""" +
                     JsonSerializer.Serialize(all.Values.Single(k => k.Id == "medelstilldelning").Description, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) +
                     $$""","is_divided_by_gender":false,"municipality_type":"A","auspice":null,"operating_area":"{{all.Values.Single(k => k.Id == "medelstilldelning").OperatingArea}}","perspective":null,"prel_publication_date":null,"publication_date":"{{released}}","publ_period":null,"has_ou_data":false,"title_en":"Members' contributions","unit":"kr"}],"count":1,"next_url":null,"previous_url":null}""",
            Json(Assert.IsType<OkObjectResult>(one)));
    }

    [Fact]
    public async Task Koladapys_v3_request_with_repeated_keys_and_rKoladas_region_type_are_answered()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();

        // koladapy: requests repeats the key for each item of a list.
        var data = await read.DataV3(Request("/v3/data/", "?kpi_id=medelstilldelning&municipality_id=aspdalen&municipality_id=granmo&year=2025&page=1&per_page=5000"),
            null, CancellationToken.None);
        var counties = await read.MunicipalityV3(Request("/v3/municipality", "?region_type=L"), null, CancellationToken.None);
        var municipalities = await read.MunicipalityV3(Request("/v3/municipality", "?type=K"), null, CancellationToken.None);

        var values = ((KoladaPageV3<KoladaDataV3>)((OkObjectResult)data).Value!).Values;
        Assert.Equal([("aspdalen", 1_200_000m), ("granmo", 720_000m)], values.Select(v => (v.Municipality, v.Values.Single().Value!.Value)));
        Assert.Equal(["Exempellän"], ((KoladaPageV3<KoladaMunicipality>)((OkObjectResult)counties).Value!).Values.Select(m => m.Id));
        Assert.Empty(((KoladaPageV3<KoladaMunicipality>)((OkObjectResult)municipalities).Value!).Values);
    }

    [Fact]
    public async Task Kpi_groups_are_the_catalogs_themes_with_their_kpis()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var read = world.App.Function<KoladaRead>();
        var catalog = File.ReadAllLines(Path.Combine(RepoPaths.Root, "queries", "kpi_catalog.csv")).Skip(1).Select(l => l.Split(';'))
            .Select(c => (Id: c[0], Title: c[1], Theme: c[10])).ToList();

        var groups = (KoladaPageV3<KoladaGroup>)((OkObjectResult)await read.KpiGroupsV3(Request("/v3/kpi_groups"), null, CancellationToken.None)).Value!;
        var economy = await read.KpiGroups(Request("/v2/kpi_groups/ekonomi"), "ekonomi", CancellationToken.None);

        Assert.Equal([("deltagare", "Deltagare"), ("ekonomi", "Ekonomi"), ("kostnadseffektivitet", "Kostnadseffektivitet")], groups.Values.Select(g => (g.Id, g.Title)));
        foreach (var group in groups.Values)
            Assert.Equal(catalog.Where(k => k.Theme == group.Id && !k.Id.EndsWith("_manad", StringComparison.Ordinal)).Select(k => (k.Id, k.Title)).OrderBy(k => k.Id, StringComparer.Ordinal),
                group.Members.Select(m => (m.MemberId, m.MemberTitle)));
        var one = (KoladaPage<KoladaGroup>)((OkObjectResult)economy).Value!;
        Assert.Equal(["ekonomi"], one.Values.Select(g => g.Id));
        Assert.Contains(new KoladaGroupMember("medelstilldelning", "Medelstilldelning"), one.Values.Single().Members);
    }

    private sealed record MemberCell(string Scope, string Kon, decimal? Value, bool Suppressed, string Marker);

    /// <summary>The yearly cells of one KPI as the member file kpi.parquet of the latest version holds them.</summary>
    private static async Task<List<MemberCell>> MemberCellsAsync(PublishedApp world, string kpi)
    {
        var versions = new DatasetVersions(world.App.Store);
        var manifest = await versions.ResolveAsync(PublishedLayout.KpiDataset, "latest");
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "kpi.parquet");
        await File.WriteAllBytesAsync(path, await versions.ReadFileAsync(manifest, "kpi.parquet"));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        // The member files' one marker for a suppressed value, whatever the reason: ".."; otherwise the value's status.
        command.CommandText = $"select scope_id, kon, value, suppressed, case when suppressed then '..' else coalesce(status, '') end from read_parquet('{path}') where kpi_id = '{kpi}' and period_type = 'ar' and dimension = ''";
        using var reader = command.ExecuteReader();
        var cells = new List<MemberCell>();
        while (reader.Read())
            cells.Add(new MemberCell(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : Publishing.Formats.CellText.Normalise(reader.GetDecimal(2)),
                !reader.IsDBNull(3) && reader.GetBoolean(3), reader.GetString(4)));
        return cells;
    }
}
