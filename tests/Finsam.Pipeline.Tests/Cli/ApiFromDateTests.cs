using System.Text.Json;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Cli;

/// <summary>
/// Kolada v3's from_date over `finsam api`: two releases of the samples a month apart (15 January and 15 February 2026),
/// the second after Ekstrand's February rent went from 18 000 to 19 000 kr and the controller took the budget of 80
/// participants off Ekstrand's network meetings (ekstrand-NATV) in reference/insatser.csv.
/// </summary>
public sealed class ApiFromDateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static string Query(string from) => $"v3/data/kpi/kostnad_total/municipality/aspdalen,ekstrand/year/2025?from_date={from}";

    [Fact]
    public async Task From_date_gives_the_values_changed_since_the_last_release_before_it()
    {
        var storage = Path.Combine(_folder.Path, "storage");
        var store = new LocalFolderBlobStore(storage);
        using var world = await PublishWorld.SamplesAsync(store);
        var first = await world.BuildAsync();
        await new Publisher(store, new Clock(new DateTimeOffset(2026, 1, 15, 6, 0, 0, TimeSpan.Zero))).PublishAsync(first.Build, first.Options);
        await world.ChangeEkstrandRentAsync();
        var insatser = System.Text.Encoding.UTF8.GetString((await store.ReadAsync(Containers.Reference, "insatser.csv")).Bytes);
        var withoutBudget = insatser.Replace("ekstrand;ekstrand-NATV;Nätverksträffar;struktur;Samordningsförbundet;;80", "ekstrand;ekstrand-NATV;Nätverksträffar;struktur;Samordningsförbundet;;");
        Assert.NotEqual(insatser, withoutBudget);
        await store.WriteAsync(Containers.Reference, "insatser.csv", System.Text.Encoding.UTF8.GetBytes(withoutBudget), WriteCondition.Overwrite);
        var second = await world.BuildAsync();
        await new Publisher(store, new Clock(new DateTimeOffset(2026, 2, 15, 6, 0, 0, TimeSpan.Zero))).PublishAsync(second.Build, second.Options);

        await using var api = await LocalReadApi.StartAsync(storage, Path.Combine(_folder.Path, "work"));
        Task<JsonElement> Get(string url) => api.JsonAsync(url);
        static List<(string, string, decimal?, bool)> Values(JsonElement page) =>
            page.GetProperty("values").EnumerateArray().SelectMany(d => d.GetProperty("values").EnumerateArray().Select(v =>
                (d.GetProperty("municipality").GetString()!, v.GetProperty("gender").GetString()!,
                 v.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null : v.GetProperty("value").GetDecimal(), v.GetProperty("isdeleted").GetBoolean()))).ToList();

        var before = Values(await Get("v3/data/kpi/kostnad_total/municipality/ekstrand/year/2025?version=1")).Single();
        // Since 1 February: the February release against January's. Only Ekstrand's total cost changed, by the 1 000 kr.
        var changed = Values(await Get(Query("2026-02-01")));
        Assert.Equal([("ekstrand", "T", before.Item3 + 1000m, false)], changed);
        // Since 1 January: no release before it, so every value is new.
        Assert.Equal(Values(await Get("v3/data/kpi/kostnad_total/municipality/aspdalen,ekstrand/year/2025")), Values(await Get(Query("2026-01-01"))));
        // Since 1 March: nothing was released.
        Assert.Empty(Values(await Get(Query("2026-03-01"))));
        // The January release read as of 1 February: it is older, so nothing in it changed since.
        Assert.Empty(Values(await Get(Query("2026-02-01") + "&version=1")));

        // A value the second release no longer has: the budget taken off, isdeleted with no value (v3), beside the changed cost.
        var budget = await Get("v3/data/kpi/kostnad_total,deltagare_insats_budget/municipality/ekstrand/year/2025?from_date=2026-02-01");
        Assert.Equal([("deltagare_insats_budget.ekstrand-NATV", "T", null, true), ("kostnad_total", "T", before.Item3 + 1000m, false)],
            budget.GetProperty("values").EnumerateArray().SelectMany(d => d.GetProperty("values").EnumerateArray().Select(v =>
                (d.GetProperty("kpi").GetString()!, v.GetProperty("gender").GetString()!,
                 v.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null : v.GetProperty("value").GetDecimal(), v.GetProperty("isdeleted").GetBoolean()))));
        // v2 (the JavaScript client sends from_date there): the changed cost, and no line for the deleted budget (v2 has no isdeleted).
        var v2 = await Get("v2/data/kpi/kostnad_total,deltagare_insats_budget/municipality/ekstrand/year/2025?from_date=2026-02-01");
        Assert.Equal([("kostnad_total", before.Item3!.Value + 1000m)], v2.GetProperty("values").EnumerateArray()
            .Select(d => (d.GetProperty("kpi").GetString()!, d.GetProperty("values")[0].GetProperty("value").GetDecimal())));
        Assert.Equal(80m, Values(await Get("v3/data/kpi/deltagare_insats_budget.ekstrand-NATV/municipality/ekstrand/year/2025?version=1")).Single().Item3);
        Assert.Empty(Values(await Get("v3/data/kpi/deltagare_insats_budget.ekstrand-NATV/municipality/ekstrand/year/2025")));

        var refused = await api.JsonAsync(Query("1 februari"), System.Net.HttpStatusCode.BadRequest);
        Assert.Equal("from_date '1 februari' is not a date: write yyyy-mm-dd, e.g. 2026-01-01.", refused.GetProperty("error").GetString());
    }

    public void Dispose() => _folder.Dispose();
}
