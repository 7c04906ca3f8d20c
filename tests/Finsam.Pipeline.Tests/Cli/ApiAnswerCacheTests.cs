using System.Text.Json;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.ReadApi;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// `finsam api` keeps its answers by release and URL (<see cref="ReadApiAnswerCache"/>): the same request is answered the
/// same from the cache, a new latest release is answered within a second of its commit, and a release that is no longer
/// kept stops being answered, though its answers were kept.
/// </summary>
public sealed class ApiAnswerCacheTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static decimal Cost(JsonElement page) => page.GetProperty("values")[0].GetProperty("values")[0].GetProperty("value").GetDecimal();

    [Fact]
    public async Task A_kept_answer_is_never_older_than_the_release_the_request_names()
    {
        var storage = Path.Combine(_folder.Path, "storage");
        var store = new LocalFolderBlobStore(storage);
        using var world = await PublishWorld.SamplesAsync(store);
        var first = await world.BuildAsync();
        await new Publisher(store).PublishAsync(first.Build, first.Options);
        await using var api = await LocalReadApi.StartAsync(storage, Path.Combine(_folder.Path, "work"));
        const string url = "v3/data/kpi/kostnad_total/municipality/ekstrand/year/2025";

        var before = Cost(await api.JsonAsync(url));
        Assert.Equal((0L, 1L), api.Answers.Counts);
        Assert.Equal(before, Cost(await api.JsonAsync(url)));
        Assert.Equal((1L, 1L), api.Answers.Counts);
        Assert.Equal(before, Cost(await api.JsonAsync(url + "?version=1")));
        Assert.Equal((1L, 2L), api.Answers.Counts);
        // A value that holds "&" and "=" is its own request, not the one it spells: an unknown KPI, nothing.
        Assert.Equal(0, (await api.JsonAsync("v3/data/?kpi_id=kostnad_total%26municipality_id%3Dekstrand&year=2025")).GetProperty("count").GetInt32());
        Assert.Equal(1, (await api.JsonAsync("v3/data/?kpi_id=kostnad_total&municipality_id=ekstrand&year=2025")).GetProperty("count").GetInt32());

        // Ekstrand's February rent goes up by 1 000 kr in a second release: latest is answered from it within a second.
        await world.ChangeEkstrandRentAsync();
        var second = await world.BuildAsync();
        await new Publisher(store).PublishAsync(second.Build, second.Options);
        await Task.Delay(KoladaApi.StorageReadAge + TimeSpan.FromMilliseconds(200));
        Assert.Equal(before + 1000m, Cost(await api.JsonAsync(url)));
        Assert.Equal(before, Cost(await api.JsonAsync(url + "?version=1")));
        // from_date answers are made each time: they also depend on which earlier releases are kept.
        var (hits, made) = api.Answers.Counts;
        await api.JsonAsync(url + "?from_date=2020-01-01");
        await api.JsonAsync(url + "?from_date=2020-01-01");
        Assert.Equal((hits, made + 2), api.Answers.Counts);

        // Release 1 removed (as retention or an erasure removes one: its manifest first): a 404 within a second.
        await store.DeleteAsync(Containers.Published, PublishedLayout.Manifest(PublishedLayout.KpiDataset, 1));
        await Task.Delay(KoladaApi.StorageReadAge + TimeSpan.FromMilliseconds(200));
        await api.JsonAsync(url + "?version=1", System.Net.HttpStatusCode.NotFound);
        Assert.Equal(before + 1000m, Cost(await api.JsonAsync(url + "?version=2")));
    }

    [Fact]
    public void A_negative_cache_size_is_a_configuration_error_naming_the_setting()
    {
        var settings = new Dictionary<string, string>
        {
            [FinsamSettings.Key(o => o.Storage.LocalFolder)] = Path.Combine(_folder.Path, "storage"),
            [FinsamSettings.Key(o => o.Api.AnswerCacheMegabytes)] = "-1",
        };
        var refused = Assert.Throws<FinsamConfigurationException>(() => ReadApiHost.Build(TestConfiguration.From(settings), "http://127.0.0.1:0"));
        Assert.Equal("Finsam__Api__AnswerCacheMegabytes is -1: give the megabytes of answers to keep, 0 for none.", refused.Message);
    }

    public void Dispose() => _folder.Dispose();
}
