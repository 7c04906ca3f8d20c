using System.Net;
using System.Text.Json;
using Finsam.Cli.LocalHost;
using Finsam.Pipeline.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>`finsam api`'s host on a free loopback port over a local storage folder, and a client of its /api/.</summary>
public sealed class LocalReadApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalReadApi(WebApplication app, HttpClient client) => (_app, Client) = (app, client);

    /// <summary>Its base address is …/api/.</summary>
    public HttpClient Client { get; }

    /// <param name="work">The work folder (the releases' tables are read there).</param>
    /// <param name="keys">Finsam__Api__Keys, if any.</param>
    public static async Task<LocalReadApi> StartAsync(string storage, string work, string? keys = null)
    {
        var settings = new Dictionary<string, string>
        {
            [FinsamSettings.Key(o => o.Storage.LocalFolder)] = storage,
            [FinsamSettings.Key(o => o.Models.WorkFolder)] = work,
        };
        if (keys is not null) settings[FinsamSettings.Key(o => o.Api.Keys)] = keys;
        var app = ReadApiHost.Build(TestConfiguration.From(settings), "http://127.0.0.1:0");
        try
        {
            await ReadApiHost.StartAsync(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new LocalReadApi(app, new HttpClient { BaseAddress = new Uri(ReadApiHost.Addresses(app).Single() + "/api/") });
    }

    /// <summary>The answers it keeps (<see cref="Finsam.Pipeline.ReadApi.ReadApiAnswerCache"/>).</summary>
    public Finsam.Pipeline.ReadApi.ReadApiAnswerCache Answers => _app.Services.GetRequiredService<Finsam.Pipeline.ReadApi.ReadApiAnswerCache>();

    /// <summary>The answer's JSON, asserting its status.</summary>
    public async Task<JsonElement> JsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Every page of an answer as a client that follows its links reads them: from <paramref name="url"/>, then the URL in
    /// <paramref name="link"/> (v3's next_url, v2's next_page) as it is, until there is none.
    /// </summary>
    public async Task<List<JsonElement>> PagesAsync(string url, string link)
    {
        var pages = new List<JsonElement>();
        for (string? next = url; next is not null;)
        {
            var page = await JsonAsync(next);
            pages.Add(page);
            next = page.TryGetProperty(link, out var value) ? value.GetString() : null;
        }
        return pages;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
