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
    public async Task An_unknown_kpi_is_a_404_with_a_message()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/no_such_kpi/year/2025"), "kpi/no_such_kpi/year/2025", CancellationToken.None);

        var notFound = Assert.IsType<NotFoundObjectResult>(result);
        Assert.Equal("""{"error":"There is no KPI 'no_such_kpi' in kpi v1. GET v2/kpi lists them (a KPI with a dimension is written kpi.dimension, e.g. kostnad_andel.administration)."}""",
            Json(notFound));
    }

    [Fact]
    public async Task A_malformed_query_is_a_400_with_a_message()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/deltagare/year/25"), "kpi/deltagare/year/25", CancellationToken.None);

        Assert.Equal("""{"error":"'25' is not a year: write four digits, e.g. 2025."}""", Json(Assert.IsType<BadRequestObjectResult>(result)));
    }

    [Fact]
    public async Task Pages_link_to_each_other_without_the_function_key()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Data(Request("/v2/data/kpi/medelstilldelning/year/2025", "?per_page=2&page=2&code=secret"),
            "kpi/medelstilldelning/year/2025", CancellationToken.None);

        var page = (KoladaPage<KoladaData>)((OkObjectResult)result).Value!;
        // Four federations, a county and all: six places, two per page.
        Assert.Equal(2, page.Count);
        Assert.Equal("https://finsam.example/api/v2/data/kpi/medelstilldelning/year/2025?per_page=2&page=1", page.PreviousPage);
        Assert.Equal("https://finsam.example/api/v2/data/kpi/medelstilldelning/year/2025?per_page=2&page=3", page.NextPage);
    }

    [Fact]
    public async Task The_catalog_lists_every_kpi_with_its_titles()
    {
        var world = await PublishedApp.GetAsync(azurite);

        var result = await world.App.Function<KoladaRead>().Kpi(Request("/v2/kpi/medelstilldelning"), "medelstilldelning", CancellationToken.None);

        var page = (KoladaPage<KoladaKpi>)((OkObjectResult)result).Value!;
        var kpi = Assert.Single(page.Values);
        Assert.Equal(("medelstilldelning", "Medelstilldelning", "Members' contributions", "kr", 0), (kpi.Id, kpi.Title, kpi.TitleEn, kpi.Unit, kpi.IsDividedByGender));
        var all = (KoladaPage<KoladaKpi>)((OkObjectResult)await world.App.Function<KoladaRead>().Kpi(Request("/v2/kpi"), null, CancellationToken.None)).Value!;
        Assert.Equal(File.ReadAllLines(Path.Combine(RepoPaths.Root, "queries", "kpi_catalog.csv")).Length - 1, all.Count);
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
