using Finsam.Bench;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Xunit.Abstractions;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// A Kolada client paging past 5 000 values: the benchmark's national data (80 federations, ten years) released and read
/// through `finsam api` as koladapy reads it — 25 KPIs and ten years in one query string, per_page=5000, following
/// next_url to the end — and as a v2 client following next_page.
/// </summary>
public sealed class NationalApiPagingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_client_following_next_url_reads_every_value_of_the_national_release_once_in_order()
    {
        var storage = Path.Combine(_folder.Path, "storage");
        NationalData.Generate(storage, scale: 1);
        var store = new LocalFolderBlobStore(storage);
        var options = new ModelOptions(RepoPaths.Queries, Path.Combine(_folder.Path, "work"));
        using (var build = await ModelBuild.RunAsync(store, options))
            await new Publisher(store).PublishAsync(build, options, datasets: [PublishedLayout.KpiDataset]);

        // What the release holds: every yearly value of the first 25 KPIs, by KPI (with its dimension), place and year.
        var versions = new DatasetVersions(store);
        var manifest = await versions.ResolveAsync(PublishedLayout.KpiDataset, "latest");
        var kpiFile = Path.Combine(_folder.Path, "kpi.parquet");
        await File.WriteAllBytesAsync(kpiFile, await versions.ReadFileAsync(manifest, PublishedLayout.KpiFile));
        using var session = new DuckDbSession(options with { WorkFolder = Path.Combine(_folder.Path, "read") });
        var kpis = session.Query($"select distinct kpi_id from read_parquet('{DuckDbSession.Quote(kpiFile)}') where period_type = 'ar' order by kpi_id limit 25")
            .Rows.Select(r => (string)r[0]!).ToList();
        var expected = session.Query($"""
            select distinct case when dimension = '' then kpi_id else kpi_id || '.' || dimension end as kpi, scope_id, cast(period as integer) as year
            from read_parquet('{DuckDbSession.Quote(kpiFile)}')
            where period_type = 'ar' and kpi_id in ({string.Join(", ", kpis.Select(k => $"'{k}'"))})
            order by kpi, scope_id, year
            """).Rows.Select(r => ((string)r[0]!, (string)r[1]!, (int)r[2]!)).ToList();
        Assert.True(expected.Count > 3 * 5000, $"{expected.Count} values: the query must take more than three pages");
        var years = string.Join(',', Enumerable.Range(2016, 10));

        await using var api = await LocalReadApi.StartAsync(storage, Path.Combine(_folder.Path, "api-work"));
        // koladapy: data/?kpi_id=…&year=…&page=1&per_page=5000, then each next_url as it is (v3).
        var read = new List<(string, string, int)>();
        var pages = await api.PagesAsync($"v3/data/?kpi_id={string.Join(',', kpis)}&year={years}&page=1&per_page=5000", "next_url");
        foreach (var page in pages)
        {
            var values = page.GetProperty("values").EnumerateArray().ToList();
            Assert.Equal(values.Count, page.GetProperty("count").GetInt32());
            Assert.True(values.Count <= 5000);
            read.AddRange(values.Select(v => (v.GetProperty("kpi").GetString()!, v.GetProperty("municipality").GetString()!, v.GetProperty("period").GetInt32())));
        }
        Assert.Equal(expected, read);
        Assert.Equal((expected.Count + 4999) / 5000, pages.Count);

        // A v2 client: the path form and next_page, 5 000 a page by default.
        var v2 = (await api.PagesAsync($"v2/data/kpi/{string.Join(',', kpis)}/year/{years}", "next_page")).Sum(page => page.GetProperty("values").GetArrayLength());
        Assert.Equal(expected.Count, v2);
        output.WriteLine($"{expected.Count} values of {kpis.Count} KPIs over ten years in {pages.Count} pages of at most 5 000");
    }

    public void Dispose() => _folder.Dispose();
}
